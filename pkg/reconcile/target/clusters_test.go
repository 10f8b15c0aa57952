package target

import (
	"strings"
	"testing"

	"github.com/fluxcd/pkg/ssa"
	"k8s.io/client-go/rest"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

func TestWithoutAClusterOnlyAKubeConfigHelps(t *testing.T) {
	var none Clusters
	_, err := none.Manager(t.Context(), Spec{Namespace: "app"}, ssa.Owner{})
	if !outcome.IsStalled(err) || !strings.Contains(err.Error(), "set spec.kubeConfig") {
		t.Errorf("error %v, want a stall that points at spec.kubeConfig", err)
	}
	// A kubeConfig Secret the server cannot read yet is retried, not
	// stalled: it may become readable without the object changing.
	_, err = none.Manager(t.Context(), Spec{Namespace: "app", KubeConfig: &v1alpha1.KubeConfigReference{
		SecretRef: &v1alpha1.SecretKeyReference{Name: "remote"}}}, ssa.Owner{})
	if err == nil || outcome.IsStalled(err) {
		t.Errorf("error %v, want a failure that is retried", err)
	}
	// A workload-identity kubeConfig is not supported: it must not fall
	// back to the server's own cluster.
	local := Clusters{Local: &rest.Config{Host: "https://127.0.0.1:1"}}
	_, err = local.Manager(t.Context(), Spec{Namespace: "app", KubeConfig: &v1alpha1.KubeConfigReference{
		ConfigMapRef: &v1alpha1.LocalObjectReference{Name: "cluster"}}}, ssa.Owner{})
	if !outcome.IsStalled(err) || !strings.Contains(err.Error(), "spec.kubeConfig.configMapRef") {
		t.Errorf("error %v, want a stall naming spec.kubeConfig.configMapRef", err)
	}
}

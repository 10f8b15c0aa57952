package sourceref

import (
	"strings"
	"testing"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

func TestResolveFillsInTheReferrersNamespace(t *testing.T) {
	ref, err := Resolve(v1alpha1.KustomizationSourceRef, "apps", Ref{Kind: v1alpha1.GitRepositoryKind, Name: "podinfo"}, true)
	if err != nil || ref != (Ref{Kind: v1alpha1.GitRepositoryKind, Namespace: "apps", Name: "podinfo"}) {
		t.Errorf("got %+v, %v", ref, err)
	}
}

func TestResolveRefusesAKindTheFieldDoesNotAccept(t *testing.T) {
	_, err := Resolve(v1alpha1.KustomizationSourceRef, "apps", Ref{Kind: v1alpha1.HelmChartKind, Name: "podinfo"}, false)
	want := `spec.sourceRef.kind: "HelmChart" is not a source a Kustomization can use`
	if !outcome.IsStalled(err) || err.Error() != want {
		t.Errorf("got %v, want stalled %q", err, want)
	}
	if _, err := Resolve(v1alpha1.HelmChartSourceRef, "apps", Ref{Kind: v1alpha1.HelmRepositoryKind, Name: "charts"}, false); err != nil {
		t.Errorf("a HelmChart's HelmRepository was refused: %v", err)
	}
}

func TestResolveRefusesAnotherNamespaceOnlyWhenTheServerForbidsIt(t *testing.T) {
	ref := Ref{Kind: v1alpha1.BucketKind, Namespace: "shared", Name: "manifests"}
	if _, err := Resolve(v1alpha1.KustomizationSourceRef, "apps", ref, false); err != nil {
		t.Errorf("allowed cross-namespace reference refused: %v", err)
	}
	_, err := Resolve(v1alpha1.KustomizationSourceRef, "apps", ref, true)
	if !outcome.IsStalled(err) || !strings.HasPrefix(err.Error(), "spec.sourceRef: cannot refer to Bucket/shared/manifests: cross-namespace references are not allowed") {
		t.Errorf("got %v", err)
	}
	if _, err := Resolve(v1alpha1.KustomizationSourceRef, "apps", Ref{Kind: v1alpha1.BucketKind, Namespace: "apps", Name: "manifests"}, true); err != nil {
		t.Errorf("its own namespace, written out, was refused: %v", err)
	}
}

package controlplane_test

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	apiregistrationv1 "k8s.io/kube-aggregator/pkg/apis/apiregistration/v1"
	aggregator "k8s.io/kube-aggregator/pkg/client/clientset_generated/clientset"

	"gitops.io/apiserver/test/controlplane"
)

func TestKubectlListsConfigMapCreatedWithClientGo(t *testing.T) {
	t.Parallel()
	cp := controlplane.Start(t, controlplane.Options{})
	client := kubernetes.NewForConfigOrDie(cp.Config)
	cm := &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: "hello", Namespace: "default"},
		Data:       map[string]string{"greeting": "hi"},
	}
	if _, err := client.CoreV1().ConfigMaps("default").Create(t.Context(), cm, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	kubectl, err := controlplane.KubectlPath()
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(kubectl, "--kubeconfig", cp.KubeconfigPath,
		"get", "configmaps", "--namespace=default", "-o", "name").CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl get configmaps: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "configmap/hello") {
		t.Errorf("kubectl get configmaps did not list configmap/hello:\n%s", out)
	}
}

// The aggregator resolves the ExternalName Service and dials the port; with no
// server there it reports a failed discovery check, not a missing Service.
func TestAPIServiceWithoutServerIsUnavailable(t *testing.T) {
	t.Parallel()
	cp := controlplane.Start(t, controlplane.Options{})
	cert, err := controlplane.WriteServingCert(t.TempDir(), "gitops-system", "gitops-apiserver")
	if err != nil {
		t.Fatal(err)
	}
	closedPort, err := controlplane.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	err = cp.RegisterAPIService(t.Context(), "", "", "gitops-system", "gitops-apiserver", closedPort, cert.CABundle)
	if err != nil {
		t.Fatal(err)
	}

	agg := aggregator.NewForConfigOrDie(cp.Config)
	name := controlplane.DefaultVersion + "." + controlplane.DefaultGroup
	var last *apiregistrationv1.APIServiceCondition
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		svc, err := agg.ApiregistrationV1().APIServices().Get(t.Context(), name, metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range svc.Status.Conditions {
			if c.Type == apiregistrationv1.Available {
				last = &c
			}
		}
		if last != nil && last.Status == apiregistrationv1.ConditionFalse && last.Reason == "FailedDiscoveryCheck" {
			return
		}
	}
	t.Fatalf("APIService %s: want Available=False for FailedDiscoveryCheck, last condition %+v", name, last)
}

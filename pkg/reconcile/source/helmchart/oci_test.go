package helmchart

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/registry"
	helmregistry "helm.sh/helm/v4/pkg/registry"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/artifact/artifacttest"
	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/pkg/reconcile/source/helmrepository/helmrepotest"
)

// pushCharts pushes charts packaged by Helm to an in-process OCI registry
// and returns its oci:// URL and the pushed bytes by version.
func pushCharts(t *testing.T, versions ...string) (string, map[string][]byte) {
	t.Helper()
	server := httptest.NewServer(registry.New())
	t.Cleanup(server.Close)
	host := strings.TrimPrefix(server.URL, "http://")
	client, err := helmregistry.NewClient(helmregistry.ClientOptPlainHTTP(), helmregistry.ClientOptCredentialsFile(t.TempDir()+"/config.json"))
	if err != nil {
		t.Fatal(err)
	}
	pushed := map[string][]byte{}
	for _, version := range versions {
		data, err := packageChart(helmrepotest.NewChart("podinfo", version, "replicas: 1\n"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := client.Push(data, host+"/charts/podinfo:"+version); err != nil {
			t.Fatal(err)
		}
		pushed[version] = data
	}
	return "oci://" + host + "/charts", pushed
}

func TestChartFromOCIRepositoryIsTheHighestMatchingTag(t *testing.T) {
	url, pushed := pushCharts(t, "1.0.0", "1.2.0", "2.0.0")
	r, sources := newTestReconciler(t)
	sources.add(&v1alpha1.HelmRepository{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "oci"},
		Spec:       v1alpha1.HelmRepositorySpec{URL: url, Type: v1alpha1.HelmRepositoryTypeOCI, Insecure: true},
	})
	obj := helmChart("podinfo", "^1", v1alpha1.HelmRepositoryKind, "oci")

	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	a := obj.Status.Artifact
	if stored, _ := artifacttest.Read(t, r.Storage, a); a.Revision != "1.2.0" || !bytes.Equal(stored, pushed["1.2.0"]) {
		t.Errorf("artifact %+v; want 1.2.0 as pushed", a)
	}

	obj.Spec.Version = "2.0.0"
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	if a := obj.Status.Artifact; a.Revision != "2.0.0" {
		t.Errorf("an exact version gave %+v", a)
	}

	obj.Spec.Version = "^3"
	err := r.reconcileSteps(t.Context(), obj)
	if outcome.Of(err, v1alpha1.ChartPullFailedReason).Reason != v1alpha1.ChartPullFailedReason || !strings.Contains(err.Error(), "^3") {
		t.Errorf("a constraint no tag matches gave %v", err)
	}
}

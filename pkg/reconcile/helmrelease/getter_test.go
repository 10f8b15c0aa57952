package helmrelease

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/rest"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// discoveryServer serves the discovery of a cluster with ConfigMaps only,
// counting how often it is asked for the core API's versions.
func discoveryServer(t *testing.T) (*rest.Config, *atomic.Int32) {
	var asked atomic.Int32
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api":
			asked.Add(1)
			_, _ = w.Write([]byte(`{"kind":"APIVersions","versions":["v1"]}`))
		case "/apis":
			_, _ = w.Write([]byte(`{"kind":"APIGroupList","apiVersion":"v1","groups":[]}`))
		case "/api/v1":
			_, _ = w.Write([]byte(`{"kind":"APIResourceList","groupVersion":"v1","resources":[{"name":"configmaps","singularName":"configmap","namespaced":true,"kind":"ConfigMap","verbs":["get"]}]}`))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(server.Close)
	return &rest.Config{Host: server.URL}, &asked
}

func TestPersistentClientDiscoversOnceAndANonPersistentOneForEachClient(t *testing.T) {
	no := false
	for _, tc := range []struct {
		test       string
		persistent *bool
		// discoveries for 3 clients, in discoveries of the first one.
		want int32
	}{
		{"persistentClient unset (true)", nil, 1},
		{"persistentClient false", &no, 3},
	} {
		cfg, asked := discoveryServer(t)
		obj := &v1alpha1.HelmRelease{Spec: v1alpha1.HelmReleaseSpec{PersistentClient: tc.persistent}}
		var r Reconciler
		getter, err := r.getterFor(obj, cfg, "apps")
		if err != nil {
			t.Fatal(err)
		}
		// Each client Helm makes during the actions of a run maps a kind.
		var first int32
		for i := range 3 {
			mapper, err := getter.ToRESTMapper()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := mapper.RESTMapping(schema.GroupKind{Kind: "ConfigMap"}, "v1"); err != nil {
				t.Fatalf("%s: %v", tc.test, err)
			}
			if i == 0 {
				first = asked.Load()
			}
		}
		if got := asked.Load(); first == 0 || got != tc.want*first {
			t.Errorf("%s: the core API was discovered %d times for 3 clients, %d for the first; want %d times the first's",
				tc.test, got, first, tc.want)
		}
	}
}

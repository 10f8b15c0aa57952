package artifact

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	genericapirequest "k8s.io/apiserver/pkg/endpoints/request"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/artifact"
)

// objects is a rest.Getter over a fixed set of GitRepositories.
type objects map[string]*v1alpha1.GitRepository

func (o objects) Get(_ context.Context, name string, _ *metav1.GetOptions) (runtime.Object, error) {
	if obj, ok := o[name]; ok {
		return obj, nil
	}
	return nil, apierrors.NewNotFound(v1alpha1.Resource("gitrepositories"), name)
}

func newREST(t *testing.T, objs objects) *REST {
	return &REST{
		Resource:  v1alpha1.Resource("gitrepositories"),
		Kind:      v1alpha1.GitRepositoryKind,
		Objects:   objs,
		NewObject: func() runtime.Object { return &v1alpha1.GitRepository{} },
		Storage:   &artifact.Storage{Root: t.TempDir()},
	}
}

func TestConnectServesTheCurrentArtifact(t *testing.T) {
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "app.yaml"), []byte("kind: Deployment"), 0o644); err != nil {
		t.Fatal(err)
	}
	objs := objects{}
	r := newREST(t, objs)
	stored, err := r.Storage.Archive("GitRepository", "ns", "app", "1.tar.gz", src, nil)
	if err != nil {
		t.Fatal(err)
	}
	objs["app"] = &v1alpha1.GitRepository{Status: v1alpha1.GitRepositoryStatus{
		Artifact: &v1alpha1.Artifact{Path: stored.Path, Digest: stored.Digest}}}

	handler, err := r.Connect(inNamespace(t, "ns"), "app", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/artifact", nil))
	body, _ := io.ReadAll(rec.Body)
	want, _ := os.ReadFile(filepath.Join(r.Storage.Root, stored.Path))
	if rec.Code != http.StatusOK || string(body) != string(want) || rec.Header().Get("Content-Type") != "application/gzip" {
		t.Errorf("status %d, %s, %d bytes; want 200 with the %d bytes of the artifact",
			rec.Code, rec.Header().Get("Content-Type"), len(body), len(want))
	}
}

func TestConnectWithoutArtifactIsNotFound(t *testing.T) {
	r := newREST(t, objects{"new": &v1alpha1.GitRepository{}})
	for _, name := range []string{"new", "missing"} {
		if _, err := r.Connect(inNamespace(t, "ns"), name, nil, nil); !apierrors.IsNotFound(err) {
			t.Errorf("%s: err %v, want NotFound", name, err)
		}
	}
}

func TestConnectServesNoOtherObjectsArtifact(t *testing.T) {
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "secret.yaml"), []byte("theirs"), 0o644); err != nil {
		t.Fatal(err)
	}
	objs := objects{}
	r := newREST(t, objs)
	theirs, err := r.Storage.Archive("GitRepository", "other-ns", "app", "1.tar.gz", src, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A status edited by hand to point at another namespace's artifact.
	objs["app"] = &v1alpha1.GitRepository{Status: v1alpha1.GitRepositoryStatus{
		Artifact: &v1alpha1.Artifact{Path: theirs.Path, Digest: theirs.Digest}}}
	if _, err := r.Connect(inNamespace(t, "ns"), "app", nil, nil); !apierrors.IsNotFound(err) {
		t.Errorf("an artifact of other-ns served in ns: err %v", err)
	}
}

func inNamespace(t *testing.T, namespace string) context.Context {
	return genericapirequest.WithNamespace(t.Context(), namespace)
}

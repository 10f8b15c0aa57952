package sourceref

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/cache"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/artifact"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// testSources holds the GitRepositories of an indexer, whose artifacts
// Open reads from a storage folder as the artifact subresource would.
type testSources struct {
	*Sources
	storage *artifact.Storage
	indexer cache.Indexer
}

func newTestSources(t *testing.T) *testSources {
	ts := &testSources{
		storage: &artifact.Storage{Root: t.TempDir()},
		indexer: cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc}),
	}
	ts.Sources = &Sources{
		Listers: map[string]cache.GenericLister{
			v1alpha1.GitRepositoryKind: cache.NewGenericLister(ts.indexer, v1alpha1.Resource("gitrepositories")),
		},
		Open: func(_ context.Context, ref Ref) (io.ReadCloser, error) {
			src, err := ts.Get(ref)
			if err != nil {
				return nil, err
			}
			return ts.storage.Open(src.GetArtifact().Path)
		},
	}
	return ts
}

// add adds a GitRepository named name to the cache, with artifact a.
func (ts *testSources) add(t *testing.T, name string, a *v1alpha1.Artifact) Ref {
	t.Helper()
	repo := &v1alpha1.GitRepository{
		ObjectMeta: metav1.ObjectMeta{Namespace: "apps", Name: name},
		Status:     v1alpha1.GitRepositoryStatus{Artifact: a},
	}
	if err := ts.indexer.Update(repo); err != nil {
		t.Fatal(err)
	}
	return Ref{Kind: v1alpha1.GitRepositoryKind, Namespace: "apps", Name: name}
}

// store archives files as the artifact of the GitRepository name.
func (ts *testSources) store(t *testing.T, name string, files map[string]string) *v1alpha1.Artifact {
	t.Helper()
	dir := t.TempDir()
	for file, content := range files {
		if err := os.WriteFile(filepath.Join(dir, file), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	stored, err := ts.storage.Archive(v1alpha1.GitRepositoryKind, "apps", name, "a.tar.gz", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &v1alpha1.Artifact{Path: stored.Path, Digest: stored.Digest, Revision: "main@sha1:1"}
}

func TestArtifactWaitsForAMissingSourceOrArtifact(t *testing.T) {
	ts := newTestSources(t)
	ts.add(t, "new", nil)
	for name, c := range map[string]struct {
		ref      Ref
		message  string
		notFound bool
	}{
		"missing":     {Ref{v1alpha1.GitRepositoryKind, "apps", "gone"}, "Source 'GitRepository/apps/gone' not found", true},
		"no artifact": {Ref{v1alpha1.GitRepositoryKind, "apps", "new"}, "Source 'GitRepository/apps/new' is not ready, artifact not found", false},
	} {
		_, err := ts.Artifact(c.ref)
		var missing *Missing
		if !outcome.IsWaiting(err) || err.Error() != c.message || !errors.As(err, &missing) || (missing.NotFound != nil) != c.notFound {
			t.Errorf("%s: got %v, want waiting %q", name, err, c.message)
		}
	}
}

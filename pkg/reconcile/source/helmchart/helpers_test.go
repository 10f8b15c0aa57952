package helmchart

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/cache"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	gitopsscheme "gitops.io/apiserver/pkg/generated/clientset/versioned/scheme"
	"gitops.io/apiserver/pkg/reconcile/artifact"
	"gitops.io/apiserver/pkg/reconcile/sourceref"
)

// testSources are the sources a test's HelmCharts are made from, in the
// caches a Reconciler reads them through.
type testSources struct {
	t       *testing.T
	storage *artifact.Storage
	// indexers hold the sources, by kind.
	indexers map[string]cache.Indexer
}

func newTestReconciler(t *testing.T) (*Reconciler, *testSources) {
	storage := &artifact.Storage{Root: t.TempDir(), Keep: 2}
	s := &testSources{t: t, storage: storage, indexers: map[string]cache.Indexer{}}
	listers := map[string]cache.GenericLister{}
	for _, kind := range v1alpha1.HelmChartSourceRef.Kinds {
		k, _ := v1alpha1.KindNamed(kind)
		s.indexers[kind] = cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
		listers[kind] = cache.NewGenericLister(s.indexers[kind], v1alpha1.Resource(k.Resource))
	}
	r := &Reconciler{Storage: storage}
	// There is no server: the artifact subresource's part is played by
	// reading what the source's status names from the storage folder.
	r.Sources = sourceref.Sources{Listers: listers, Open: func(_ context.Context, ref sourceref.Ref) (io.ReadCloser, error) {
		src, err := r.Sources.Get(ref)
		if err != nil {
			return nil, err
		}
		return storage.Open(src.GetArtifact().Path)
	}}
	return r, s
}

// helmRepository adds a HelmRepository of url whose artifact is the
// index the server serves now, as its reconciler would store it.
func (s *testSources) helmRepository(name, url string) *v1alpha1.HelmRepository {
	s.t.Helper()
	resp, err := http.Get(url + "/index.yaml")
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	stored, err := s.storage.Store(v1alpha1.HelmRepositoryKind, "ns", name, "index.yaml", resp.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	repo := &v1alpha1.HelmRepository{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name},
		Spec:       v1alpha1.HelmRepositorySpec{URL: url, Type: v1alpha1.HelmRepositoryTypeDefault},
		Status: v1alpha1.HelmRepositoryStatus{Artifact: &v1alpha1.Artifact{
			Path: stored.Path, Digest: stored.Digest, Revision: stored.Digest}},
	}
	s.add(repo)
	return repo
}

// gitRepository adds a GitRepository whose artifact at revision holds files.
func (s *testSources) gitRepository(name, revision string, files map[string]string) *v1alpha1.GitRepository {
	s.t.Helper()
	dir := s.t.TempDir()
	for file, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(file))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			s.t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			s.t.Fatal(err)
		}
	}
	stored, err := s.storage.Archive(v1alpha1.GitRepositoryKind, "ns", name, revision[len(revision)-40:]+".tar.gz", dir, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	repo := &v1alpha1.GitRepository{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name},
		Status: v1alpha1.GitRepositoryStatus{Artifact: &v1alpha1.Artifact{
			Path: stored.Path, Digest: stored.Digest, Revision: revision}},
	}
	s.add(repo)
	return repo
}

func (s *testSources) add(obj runtime.Object) {
	s.t.Helper()
	gvks, _, err := gitopsscheme.Scheme.ObjectKinds(obj)
	if err != nil {
		s.t.Fatal(err)
	}
	if err := s.indexers[gvks[0].Kind].Update(obj); err != nil {
		s.t.Fatal(err)
	}
}

func helmChart(chart, version string, sourceKind, sourceName string) *v1alpha1.HelmChart {
	obj := &v1alpha1.HelmChart{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "app", Generation: 1},
		Spec: v1alpha1.HelmChartSpec{
			Chart:             chart,
			Version:           version,
			SourceRef:         v1alpha1.LocalHelmChartSourceReference{Kind: sourceKind, Name: sourceName},
			ReconcileStrategy: v1alpha1.ReconcileStrategyChartVersion,
		},
	}
	obj.Spec.Interval.Duration = time.Minute
	return obj
}

// reconcileSteps runs the steps on obj without writing its status.
func (r *Reconciler) reconcileSteps(ctx context.Context, obj *v1alpha1.HelmChart) error {
	_, err := r.Kind().RunSteps(ctx, obj)
	return err
}

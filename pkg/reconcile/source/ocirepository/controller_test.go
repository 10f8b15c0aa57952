package ocirepository

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/cache"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	listers "gitops.io/apiserver/pkg/generated/listers/gitops/v1alpha1"
	"gitops.io/apiserver/test/ociregistry"
)

func TestArtifactsOfObjectsDeletedMeanwhileAreRemovedAtStart(t *testing.T) {
	reg := ociregistry.Start(t, ociregistry.Options{})
	pushFiles(t, reg, "app", "latest", map[string]string{"app.yaml": "a"})
	r := newTestReconciler(t)
	kept := ociRepository(reg.URL("app"), nil)
	kept.Name = "kept"
	gone := ociRepository(reg.URL("app"), nil)
	gone.Name = "gone"
	for _, obj := range []*v1alpha1.OCIRepository{kept, gone} {
		if err := r.reconcileSteps(t.Context(), obj); err != nil {
			t.Fatal(err)
		}
	}
	// The cache the controller starts with holds only the kept object.
	indexer := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
	if err := indexer.Add(&v1alpha1.OCIRepository{ObjectMeta: metav1.ObjectMeta{Namespace: kept.Namespace, Name: kept.Name}}); err != nil {
		t.Fatal(err)
	}
	r.artifactCleanup(listers.NewOCIRepositoryLister(indexer)).Orphans(t.Context())

	if !r.Storage.Exists(kept.Status.Artifact.Path) {
		t.Error("the artifact of an existing OCIRepository was removed")
	}
	if r.Storage.Exists(gone.Status.Artifact.Path) {
		t.Error("the artifact of a deleted OCIRepository is still there")
	}
}

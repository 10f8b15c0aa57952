package gitrepository

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/cache"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	listers "gitops.io/apiserver/pkg/generated/listers/gitops/v1alpha1"
)

func TestArtifactsOfObjectsDeletedMeanwhileAreRemovedAtStart(t *testing.T) {
	remote := newRemoteRepo(t)
	remote.commit(map[string]string{"a.yaml": "a"})
	r := newTestReconciler(t)
	kept := gitRepository(remote.url(), nil)
	kept.Name = "kept"
	gone := gitRepository(remote.url(), nil)
	gone.Name = "gone"
	for _, obj := range []*v1alpha1.GitRepository{kept, gone} {
		obj.Spec.Reference = &v1alpha1.GitRepositoryRef{Branch: "main"}
		if err := r.reconcileSteps(t.Context(), obj); err != nil {
			t.Fatal(err)
		}
	}
	// The cache the controller starts with holds only the kept object.
	indexer := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
	if err := indexer.Add(&v1alpha1.GitRepository{ObjectMeta: metav1.ObjectMeta{Namespace: kept.Namespace, Name: kept.Name}}); err != nil {
		t.Fatal(err)
	}
	r.artifactCleanup(listers.NewGitRepositoryLister(indexer)).Orphans(t.Context())

	if !r.Storage.Exists(kept.Status.Artifact.Path) {
		t.Error("the artifact of an existing GitRepository was removed")
	}
	if r.Storage.Exists(gone.Status.Artifact.Path) {
		t.Error("the artifact of a deleted GitRepository is still there")
	}
}

package bucket

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/cache"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	listers "gitops.io/apiserver/pkg/generated/listers/gitops/v1alpha1"
)

func TestArtifactsOfBucketsDeletedMeanwhileAreRemovedAtStart(t *testing.T) {
	s3 := newS3(t, map[string]string{"a.yaml": "a"})
	r := newTestReconciler(t, credentialsSecret("s3-auth", testAccessKey, testSecretKey))
	kept, gone := newBucket(s3.Endpoint), newBucket(s3.Endpoint)
	kept.Name, gone.Name = "kept", "gone"
	for _, obj := range []*v1alpha1.Bucket{kept, gone} {
		if err := r.reconcileSteps(t.Context(), obj); err != nil {
			t.Fatal(err)
		}
	}
	// The cache the controller starts with holds only the kept object.
	indexer := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
	if err := indexer.Add(&v1alpha1.Bucket{ObjectMeta: metav1.ObjectMeta{Namespace: kept.Namespace, Name: kept.Name}}); err != nil {
		t.Fatal(err)
	}
	r.artifactCleanup(listers.NewBucketLister(indexer)).Orphans(t.Context())

	if !r.Storage.Exists(kept.Status.Artifact.Path) {
		t.Error("the artifact of an existing Bucket was removed")
	}
	if r.Storage.Exists(gone.Status.Artifact.Path) {
		t.Error("the artifact of a deleted Bucket is still there")
	}
}

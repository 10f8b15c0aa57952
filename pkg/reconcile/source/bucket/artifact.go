package bucket

import (
	"fmt"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// artifactUpToDate reports whether the stored artifact already is
// revision: then nothing is downloaded. The ignore patterns need no check
// of their own: they decide which objects are in the index.
func artifactUpToDate(obj *v1alpha1.Bucket, revision string) bool {
	a := obj.Status.Artifact
	return a != nil && a.Revision == revision
}

// storeArtifact archives the objects downloaded to dir as the object's
// new artifact of revision, and garbage-collects older ones.
func (r *Reconciler) storeArtifact(obj *v1alpha1.Bucket, dir, revision string) error {
	fileName := strings.TrimPrefix(revision, "sha256:") + ".tar.gz"
	stored, err := r.Storage.Archive(kind, obj.Namespace, obj.Name, fileName, dir, nil)
	if err != nil {
		return source.StorageFailed(v1alpha1.ArchiveOperationFailedReason, err)
	}
	size := stored.Size
	url := ArtifactURL(obj.Namespace, obj.Name)
	obj.Status.Artifact = &v1alpha1.Artifact{
		Path:           stored.Path,
		URL:            url,
		Revision:       revision,
		Digest:         stored.Digest,
		Size:           &size,
		LastUpdateTime: metav1.NewTime(time.Now().Truncate(time.Second)),
	}
	obj.Status.URL = url
	obj.Status.ObservedIgnore = obj.Spec.Ignore
	if err := r.Storage.GarbageCollect(kind, obj.Namespace, obj.Name, stored.Path); err != nil {
		// Old files take space but harm nothing; the next run tries again.
		klog.Background().Error(err, "Garbage-collecting artifacts", "bucket", klog.KObj(obj))
	}
	return nil
}

// ArtifactURL is where the API serves a Bucket's artifact: its artifact
// subresource, relative to the API server (kubectl get --raw URL).
func ArtifactURL(namespace, name string) string {
	return fmt.Sprintf("/apis/%s/namespaces/%s/buckets/%s/artifact",
		v1alpha1.SchemeGroupVersion.String(), namespace, name)
}

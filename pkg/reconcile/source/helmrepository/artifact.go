package helmrepository

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// storeIndex keeps the index as the object's new artifact, named after its
// digest as Flux names it, and garbage-collects older ones.
func (r *Reconciler) storeIndex(obj *v1alpha1.HelmRepository, index fetchedIndex) error {
	fileName := "index-" + strings.TrimPrefix(index.revision, "sha256:") + ".yaml"
	stored, err := r.Storage.Store(kind, obj.Namespace, obj.Name, fileName, bytes.NewReader(index.data))
	if err != nil {
		return source.StorageFailed(v1alpha1.ArchiveOperationFailedReason, err)
	}
	size := stored.Size
	obj.Status.Artifact = &v1alpha1.Artifact{
		Path:           stored.Path,
		URL:            ArtifactURL(obj.Namespace, obj.Name),
		Revision:       index.revision,
		Digest:         stored.Digest,
		Size:           &size,
		LastUpdateTime: metav1.NewTime(time.Now().Truncate(time.Second)),
	}
	obj.Status.URL = obj.Status.Artifact.URL
	if err := r.Storage.GarbageCollect(kind, obj.Namespace, obj.Name, stored.Path); err != nil {
		// Old files take space but harm nothing; the next run tries again.
		klog.Background().Error(err, "Garbage-collecting artifacts", "helmrepository", klog.KObj(obj))
	}
	return nil
}

// ArtifactURL is where the API serves a HelmRepository's index: its
// artifact subresource, relative to the API server.
func ArtifactURL(namespace, name string) string {
	return fmt.Sprintf("/apis/%s/namespaces/%s/helmrepositories/%s/artifact",
		v1alpha1.SchemeGroupVersion.String(), namespace, name)
}

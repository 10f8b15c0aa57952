package ocirepository

import (
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/artifact"
)

// artifactUpToDate reports whether the stored artifact already is rev,
// built with the current ignore rules and layer selector: then nothing is
// downloaded.
func artifactUpToDate(obj *v1alpha1.OCIRepository, rev string) bool {
	a := obj.Status.Artifact
	return a != nil && a.Revision == rev && equalIgnore(obj.Status.ObservedIgnore, obj.Spec.Ignore) &&
		layerSelection(obj.Status.ObservedLayerSelector) == layerSelection(obj.Spec.LayerSelector)
}

func equalIgnore(a, b *string) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// recordArtifact makes the stored file the object's artifact, with the
// manifest's annotations as metadata, and garbage-collects older ones.
func (r *Reconciler) recordArtifact(obj *v1alpha1.OCIRepository, stored artifact.Stored, rev revision, annotations map[string]string) {
	size := stored.Size
	obj.Status.Artifact = &v1alpha1.Artifact{
		Path:           stored.Path,
		URL:            ArtifactURL(obj.Namespace, obj.Name),
		Revision:       rev.String(),
		Digest:         stored.Digest,
		Size:           &size,
		LastUpdateTime: metav1.NewTime(time.Now().Truncate(time.Second)),
		Metadata:       annotations,
	}
	obj.Status.URL = obj.Status.Artifact.URL
	// Copies: the spec may change under a status that keeps the old values.
	obj.Status.ObservedIgnore = nil
	if obj.Spec.Ignore != nil {
		ignore := *obj.Spec.Ignore
		obj.Status.ObservedIgnore = &ignore
	}
	obj.Status.ObservedLayerSelector = obj.Spec.LayerSelector.DeepCopy()
	if err := r.Storage.GarbageCollect(kind, obj.Namespace, obj.Name, stored.Path); err != nil {
		// Old files take space but harm nothing; the next run tries again.
		klog.Background().Error(err, "Garbage-collecting artifacts", "ocirepository", klog.KObj(obj))
	}
}

// ArtifactURL is where the API serves an OCIRepository's artifact: its
// artifact subresource, relative to the API server (kubectl get --raw URL).
func ArtifactURL(namespace, name string) string {
	return fmt.Sprintf("/apis/%s/namespaces/%s/ocirepositories/%s/artifact",
		v1alpha1.SchemeGroupVersion.String(), namespace, name)
}

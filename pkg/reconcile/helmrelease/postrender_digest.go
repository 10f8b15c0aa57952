package helmrelease

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// postRenderersDigest identifies spec.postRenderers, as
// status.observedPostRenderersDigest records it; "" when there are none,
// so a release made before any were set is not upgraded for nothing.
func postRenderersDigest(obj *v1alpha1.HelmRelease) string {
	if len(obj.Spec.PostRenderers) == 0 {
		return ""
	}
	return digestOf(obj.Spec.PostRenderers)
}

// commonMetadataDigest identifies spec.commonMetadata, as
// status.observedCommonMetadataDigest records it; "" when it adds nothing.
func commonMetadataDigest(obj *v1alpha1.HelmRelease) string {
	common := obj.Spec.CommonMetadata
	if common == nil || len(common.Labels)+len(common.Annotations) == 0 {
		return ""
	}
	return digestOf(common)
}

// postRenderingChanged reports whether the post-renderers or the common
// metadata changed since the last successful install or upgrade: the
// release's objects are then not what the HelmRelease asks for, though
// its chart and values are, and it is upgraded, as in Flux.
func postRenderingChanged(obj *v1alpha1.HelmRelease) bool {
	return postRenderersDigest(obj) != obj.Status.ObservedPostRenderersDigest ||
		commonMetadataDigest(obj) != obj.Status.ObservedCommonMetadataDigest
}

// observePostRendering records the post-rendering a successful install or
// upgrade applied.
func observePostRendering(obj *v1alpha1.HelmRelease) {
	obj.Status.ObservedPostRenderersDigest = postRenderersDigest(obj)
	obj.Status.ObservedCommonMetadataDigest = commonMetadataDigest(obj)
}

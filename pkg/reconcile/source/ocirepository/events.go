package ocirepository

import (
	corev1 "k8s.io/api/core/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// newArtifactReason is Flux's Event reason for a new revision stored.
const newArtifactReason = "NewArtifact"

// announce records an Event for a new artifact or a failure, as Flux's
// source-controller does; repeated failures are aggregated by the recorder.
func (r *Reconciler) announce(obj *v1alpha1.OCIRepository, before *v1alpha1.Artifact, err error) {
	if r.Events == nil {
		return
	}
	if err != nil {
		failure := asStepError(err)
		r.Events.Event(obj, corev1.EventTypeWarning, failure.reason, failure.Error())
		return
	}
	a := obj.Status.Artifact
	if before == nil || before.Revision != a.Revision || before.Digest != a.Digest {
		r.Events.Eventf(obj, corev1.EventTypeNormal, newArtifactReason,
			"stored artifact for revision '%s' from '%s'", a.Revision, obj.Spec.URL)
	}
}

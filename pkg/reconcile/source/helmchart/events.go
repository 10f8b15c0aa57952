package helmchart

import (
	corev1 "k8s.io/api/core/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// announce records an Event for a new chart artifact (Flux's reasons
// ChartPullSucceeded and ChartPackageSucceeded) or a failure; repeated
// failures are aggregated by the recorder.
func (r *Reconciler) announce(obj *v1alpha1.HelmChart, before *v1alpha1.Artifact, err error) {
	if r.Events == nil {
		return
	}
	if err != nil {
		failure := asStepError(err)
		r.Events.Event(obj, corev1.EventTypeWarning, failure.reason, failure.Error())
		return
	}
	a := obj.Status.Artifact
	if before == nil || before.Digest != a.Digest {
		reason, message := builtMessage(obj)
		r.Events.Event(obj, corev1.EventTypeNormal, reason, message)
	}
}

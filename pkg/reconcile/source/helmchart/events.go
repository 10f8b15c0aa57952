package helmchart

import (
	corev1 "k8s.io/api/core/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/events"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// announce records an Event for a new chart artifact, with Flux's reasons
// ChartPullSucceeded and ChartPackageSucceeded, or for a failure.
func (r *Reconciler) announce(obj, previous *v1alpha1.HelmChart, err error) {
	if err != nil {
		source.Announce(r.Events, obj, previous, err, v1alpha1.ChartPullFailedReason)
		return
	}
	if a, before := obj.Status.Artifact, previous.Status.Artifact; before == nil || before.Digest != a.Digest {
		reason, message := builtMessage(obj)
		events.Record(r.Events, obj, events.Revision{Revision: a.Revision, Artifact: a}, corev1.EventTypeNormal, reason, message)
	}
}

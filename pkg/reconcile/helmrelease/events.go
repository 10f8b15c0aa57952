package helmrelease

import (
	corev1 "k8s.io/api/core/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/events"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// announce records an Event for the run's action, succeeded or failed,
// and for any other failure, with the chart version as its revision.
func (r *Reconciler) announce(obj *v1alpha1.HelmRelease, run *run, err error) {
	rev := events.Revision{Revision: obj.Status.LastAttemptedRevision, Artifact: run.artifact}
	if err == nil {
		if run.action != "" && len(obj.Status.History) > 0 {
			events.Record(r.Events, obj, rev, corev1.EventTypeNormal, releasedReason(run.action), releasedMessage(obj))
		}
		return
	}
	if outcome.IsWaiting(err) { // waiting is normal, as in Flux: status says it
		return
	}
	failure := outcome.Of(err, v1alpha1.ReconciliationFailedReason)
	events.Record(r.Events, obj, rev, corev1.EventTypeWarning, failure.Reason, failure.Error())
}

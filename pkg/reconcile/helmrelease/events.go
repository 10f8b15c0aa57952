package helmrelease

import (
	corev1 "k8s.io/api/core/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/events"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// record records an Event about obj with the chart version as revision.
func (r *Reconciler) record(obj *v1alpha1.HelmRelease, run *run, eventType, reason, message string) {
	rev := events.Revision{Revision: obj.Status.LastAttemptedRevision, Artifact: run.artifact}
	events.Record(r.Events, obj, rev, eventType, reason, message)
}

// announce records a Warning Event for a failure before any Helm action
// (the actions record their own), unless the release merely waits.
func (r *Reconciler) announce(obj *v1alpha1.HelmRelease, run *run, err error) {
	if err == nil || len(run.done) > 0 || outcome.IsWaiting(err) {
		return
	}
	failure := outcome.Of(err, v1alpha1.ReconciliationFailedReason)
	r.record(obj, run, corev1.EventTypeWarning, failure.Reason, failure.Error())
}

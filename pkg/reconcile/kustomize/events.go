package kustomize

import (
	"strings"

	"github.com/fluxcd/pkg/ssa"
	corev1 "k8s.io/api/core/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/events"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// announce records an Event for every change set ("ConfigMap/default/app
// configured", one line each) and for each failure, as Flux does; repeated
// failures are aggregated by the recorder.
func (r *Reconciler) announce(obj *v1alpha1.Kustomization, artifact *v1alpha1.Artifact, changes *ssa.ChangeSet, err error) {
	rev := events.Revision{Revision: obj.Status.LastAttemptedRevision, Artifact: artifact}
	if lines := changed(changes); len(lines) > 0 {
		events.Record(r.Events, obj, rev, corev1.EventTypeNormal, v1alpha1.ProgressingReason,
			strings.Join(lines, "\n")+"\nrevision: "+obj.Status.LastAttemptedRevision)
	}
	if err != nil && !outcome.IsWaiting(err) { // waiting is normal, as in Flux: status says it
		failure := outcome.Of(err, v1alpha1.ReconciliationFailedReason)
		events.Record(r.Events, obj, rev, corev1.EventTypeWarning, failure.Reason, failure.Error())
	}
}

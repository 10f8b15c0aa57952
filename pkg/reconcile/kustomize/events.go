package kustomize

import (
	"strings"

	"github.com/fluxcd/pkg/ssa"
	corev1 "k8s.io/api/core/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// announce records an Event for every change set ("ConfigMap/default/app
// configured", one line each) and for each failure, as Flux does; repeated
// failures are aggregated by the recorder.
func (r *Reconciler) announce(obj *v1alpha1.Kustomization, changes *ssa.ChangeSet, err error) {
	if r.Events == nil {
		return
	}
	if lines := changed(changes); len(lines) > 0 {
		r.Events.Eventf(obj, corev1.EventTypeNormal, v1alpha1.ProgressingReason, "%s\nrevision: %s",
			strings.Join(lines, "\n"), obj.Status.LastAttemptedRevision)
	}
	if err != nil && !outcome.IsWaiting(err) { // waiting is normal, as in Flux: status says it
		failure := outcome.Of(err, v1alpha1.ReconciliationFailedReason)
		r.Events.Event(obj, corev1.EventTypeWarning, failure.Reason, failure.Error())
	}
}

package kustomize

import (
	"errors"

	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/conditions"
)

// This file is the one place that sets conditions.

// markReconciling records that new work has started.
func markReconciling(obj *v1alpha1.Kustomization, why string) {
	conditions.MarkReconciling(&obj.Status.Conditions, obj.Generation, why)
}

// summarize sets every condition from the outcome of the steps: err is nil
// or what the first failing step returned.
func summarize(obj *v1alpha1.Kustomization, err error) {
	if !checksHealth(obj) {
		apimeta.RemoveStatusCondition(&obj.Status.Conditions, healthyCondition)
	}
	if err == nil {
		apimeta.RemoveStatusCondition(&obj.Status.Conditions, v1alpha1.ReconcilingCondition)
		apimeta.RemoveStatusCondition(&obj.Status.Conditions, v1alpha1.StalledCondition)
		if checksHealth(obj) {
			set(obj, healthyCondition, metav1.ConditionTrue, v1alpha1.SucceededReason, "health check passed")
		}
		set(obj, v1alpha1.ReadyCondition, metav1.ConditionTrue, v1alpha1.ReconciliationSucceededReason,
			"Applied revision: "+obj.Status.LastAppliedRevision)
		obj.Status.ObservedGeneration = obj.Generation
		return
	}
	failure := asStepError(err)
	if failure.reason == v1alpha1.HealthCheckFailedReason {
		set(obj, healthyCondition, metav1.ConditionFalse, failure.reason, failure.Error())
	}
	set(obj, v1alpha1.ReadyCondition, metav1.ConditionFalse, failure.reason, failure.Error())
	if failure.stalled {
		apimeta.RemoveStatusCondition(&obj.Status.Conditions, v1alpha1.ReconcilingCondition)
		set(obj, v1alpha1.StalledCondition, metav1.ConditionTrue, failure.reason, failure.Error())
		// Nothing more will happen for this generation until it changes.
		obj.Status.ObservedGeneration = obj.Generation
		return
	}
	apimeta.RemoveStatusCondition(&obj.Status.Conditions, v1alpha1.StalledCondition)
	set(obj, v1alpha1.ReconcilingCondition, metav1.ConditionTrue, v1alpha1.ProgressingWithRetryReason,
		"retrying after: "+failure.Error())
}

func set(obj *v1alpha1.Kustomization, conditionType string, status metav1.ConditionStatus, reason, message string) {
	conditions.Set(&obj.Status.Conditions, obj.Generation, conditionType, status, reason, message)
}

// checksHealth reports whether the Kustomization asks for health checks.
func checksHealth(obj *v1alpha1.Kustomization) bool {
	return obj.Spec.Wait || len(obj.Spec.HealthChecks) > 0
}

// isReady reports whether obj is Ready at its latest generation.
func isReady(obj *v1alpha1.Kustomization) bool {
	c := apimeta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ReadyCondition)
	return c != nil && c.Status == metav1.ConditionTrue &&
		obj.Status.ObservedGeneration == obj.Generation && c.ObservedGeneration == obj.Generation
}

// isStalled reports whether err needs an edit of the object before a retry can help.
func isStalled(err error) bool {
	var se *stepError
	return errors.As(err, &se) && se.stalled
}

// isWaiting reports whether err means waiting for another object.
func isWaiting(err error) bool {
	var se *stepError
	return errors.As(err, &se) && se.waiting
}

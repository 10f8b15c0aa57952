package kustomize

import (
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/conditions"
)

// This file is the one place that sets conditions.

// summarize sets every condition from the outcome of the steps: err is nil
// or what the first failing step returned. A failed health check sets
// Healthy False (the step's failure names it).
func summarize(obj *v1alpha1.Kustomization, err error) {
	if !checksHealth(obj) {
		apimeta.RemoveStatusCondition(&obj.Status.Conditions, v1alpha1.HealthyCondition)
	} else if err == nil {
		conditions.Set(&obj.Status.Conditions, obj.Generation, v1alpha1.HealthyCondition, metav1.ConditionTrue, v1alpha1.SucceededReason, "health check passed")
	}
	conditions.Summarize(obj, err, conditions.Summary{
		Reason:       v1alpha1.ReconciliationSucceededReason,
		Message:      "Applied revision: " + obj.Status.LastAppliedRevision,
		Checks:       []string{v1alpha1.HealthyCondition},
		FailedReason: v1alpha1.ReconciliationFailedReason,
	})
}

// checksHealth reports whether the Kustomization asks for health checks.
func checksHealth(obj *v1alpha1.Kustomization) bool {
	return obj.Spec.Wait || len(obj.Spec.HealthChecks) > 0
}

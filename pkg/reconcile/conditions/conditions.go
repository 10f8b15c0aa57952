// Package conditions holds the kstatus bookkeeping every reconciler does
// the same way: setting a condition at the object's generation, marking new
// work as Reconciling, and telling new work from a retry.
package conditions

import (
	"fmt"

	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// Set sets a condition as observed at generation.
func Set(conditions *[]metav1.Condition, generation int64, conditionType string, status metav1.ConditionStatus, reason, message string) {
	apimeta.SetStatusCondition(conditions, metav1.Condition{
		Type:               conditionType,
		Status:             status,
		Reason:             reason,
		Message:            message,
		ObservedGeneration: generation,
	})
}

// MarkReconciling records that work on a new generation or request has
// started, so kstatus readers do not take the old Ready for the new one.
func MarkReconciling(conditions *[]metav1.Condition, generation int64, why string) {
	Set(conditions, generation, v1alpha1.ReconcilingCondition, metav1.ConditionTrue, v1alpha1.ProgressingReason, why)
	Set(conditions, generation, v1alpha1.ReadyCondition, metav1.ConditionUnknown, v1alpha1.ProgressingReason, why)
}

// NewWork says why a run starts new work, or "" when it only looks again
// on the interval or retries: a retry is already marked, and marking it
// again would write status twice per attempt.
func NewWork(conditions []metav1.Condition, generation, observedGeneration int64, requested bool) string {
	switch {
	case requested:
		return "reconciling on request"
	case len(conditions) == 0:
		// A new object without status already reads as in progress to
		// kstatus; the result is its first status write.
		return ""
	case generation != observedGeneration && !Retrying(conditions, generation):
		return fmt.Sprintf("reconciling new object generation (%d)", generation)
	}
	return ""
}

// Retrying reports whether generation already failed and is being retried.
func Retrying(conditions []metav1.Condition, generation int64) bool {
	c := apimeta.FindStatusCondition(conditions, v1alpha1.ReconcilingCondition)
	return c != nil && c.Status == metav1.ConditionTrue && c.ObservedGeneration == generation &&
		c.Reason == v1alpha1.ProgressingWithRetryReason
}

// IsReady reports whether obj is Ready at its latest generation.
func IsReady(obj Object) bool {
	st := obj.ReconcileStatus()
	c := apimeta.FindStatusCondition(*st.Conditions, v1alpha1.ReadyCondition)
	return c != nil && c.Status == metav1.ConditionTrue &&
		*st.ObservedGeneration == obj.GetGeneration() && c.ObservedGeneration == obj.GetGeneration()
}

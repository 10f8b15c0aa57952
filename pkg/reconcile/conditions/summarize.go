package conditions

import (
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// Object is an object whose status Summarize sets.
type Object interface {
	GetGeneration() int64
	ReconcileStatus() v1alpha1.ReconcileStatus
}

// Summary says how a kind reports the outcome of its steps.
type Summary struct {
	// Reason and Message of Ready when the steps succeeded.
	Reason, Message string
	// Failures are the negative-polarity conditions (FetchFailed, ...) the
	// kind's steps may set True; only the failing one stays.
	Failures []string
	// Checks are positive conditions a step may fail (SourceVerified,
	// Healthy): set False by their failure, left to the kind otherwise.
	Checks []string
	// FailedReason reports an error that is not an outcome.Failure.
	FailedReason string
}

// Summarize sets Ready, Reconciling, Stalled and the kind's failure
// conditions from the outcome of the steps: err is nil or what the first
// failing step returned.
func Summarize(obj Object, err error, summary Summary) {
	st, generation := obj.ReconcileStatus(), obj.GetGeneration()
	if err == nil {
		for _, t := range append(summary.Failures, v1alpha1.ReconcilingCondition, v1alpha1.StalledCondition) {
			apimeta.RemoveStatusCondition(st.Conditions, t)
		}
		Set(st.Conditions, generation, v1alpha1.ReadyCondition, metav1.ConditionTrue, summary.Reason, summary.Message)
		*st.ObservedGeneration = generation
		return
	}
	failure := outcome.Of(err, summary.FailedReason)
	for _, t := range summary.Failures {
		if t != failure.Condition {
			apimeta.RemoveStatusCondition(st.Conditions, t)
		}
	}
	switch {
	case failure.Condition == "":
	case contains(summary.Checks, failure.Condition):
		Set(st.Conditions, generation, failure.Condition, metav1.ConditionFalse, failure.Reason, failure.Error())
	default:
		Set(st.Conditions, generation, failure.Condition, metav1.ConditionTrue, failure.Reason, failure.Error())
	}
	Set(st.Conditions, generation, v1alpha1.ReadyCondition, metav1.ConditionFalse, failure.Reason, failure.Error())
	if failure.Stalled {
		apimeta.RemoveStatusCondition(st.Conditions, v1alpha1.ReconcilingCondition)
		Set(st.Conditions, generation, v1alpha1.StalledCondition, metav1.ConditionTrue, failure.Reason, failure.Error())
		// Nothing more will happen for this generation until it changes.
		*st.ObservedGeneration = generation
		return
	}
	apimeta.RemoveStatusCondition(st.Conditions, v1alpha1.StalledCondition)
	Set(st.Conditions, generation, v1alpha1.ReconcilingCondition, metav1.ConditionTrue, v1alpha1.ProgressingWithRetryReason,
		"retrying after: "+failure.Error())
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

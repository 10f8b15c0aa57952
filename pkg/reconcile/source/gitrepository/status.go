package gitrepository

import (
	"fmt"

	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/conditions"
)

// This file is the one place that sets conditions.

// markReconciling records that new work has started.
func markReconciling(obj *v1alpha1.GitRepository, why string) {
	conditions.MarkReconciling(&obj.Status.Conditions, obj.Generation, why)
}

// summarize sets every condition from the outcome of the steps: err is nil
// or what the first failing step returned.
func summarize(obj *v1alpha1.GitRepository, err error) {
	if a := obj.Status.Artifact; a != nil {
		set(obj, artifactInStorage, metav1.ConditionTrue, v1alpha1.SucceededReason,
			fmt.Sprintf("stored artifact for revision '%s'", a.Revision))
	} else {
		apimeta.RemoveStatusCondition(&obj.Status.Conditions, artifactInStorage)
	}
	if verificationMode(obj) == "" {
		apimeta.RemoveStatusCondition(&obj.Status.Conditions, sourceVerified)
	}
	if err == nil {
		for _, t := range []string{sourceFetchFailed, storageFailed, includeUnavailable, v1alpha1.ReconcilingCondition, v1alpha1.StalledCondition} {
			apimeta.RemoveStatusCondition(&obj.Status.Conditions, t)
		}
		revision := obj.Status.Artifact.Revision
		if verificationMode(obj) != "" {
			set(obj, sourceVerified, metav1.ConditionTrue, v1alpha1.SucceededReason,
				fmt.Sprintf("verified signature of revision '%s'", revision))
		}
		set(obj, v1alpha1.ReadyCondition, metav1.ConditionTrue, v1alpha1.SucceededReason,
			fmt.Sprintf("stored artifact for revision '%s'", revision))
		obj.Status.ObservedGeneration = obj.Generation
		return
	}
	failure := asStepError(err)
	for _, t := range []string{sourceFetchFailed, storageFailed, includeUnavailable} {
		if t != failure.Condition {
			apimeta.RemoveStatusCondition(&obj.Status.Conditions, t)
		}
	}
	if failure.Condition == sourceVerified {
		// The one positive-polarity condition a step can fail.
		set(obj, sourceVerified, metav1.ConditionFalse, failure.Reason, failure.Error())
	} else {
		set(obj, failure.Condition, metav1.ConditionTrue, failure.Reason, failure.Error())
	}
	set(obj, v1alpha1.ReadyCondition, metav1.ConditionFalse, failure.Reason, failure.Error())
	if failure.Stalled {
		apimeta.RemoveStatusCondition(&obj.Status.Conditions, v1alpha1.ReconcilingCondition)
		set(obj, v1alpha1.StalledCondition, metav1.ConditionTrue, failure.Reason, failure.Error())
		// Nothing more will happen for this generation until it changes.
		obj.Status.ObservedGeneration = obj.Generation
		return
	}
	apimeta.RemoveStatusCondition(&obj.Status.Conditions, v1alpha1.StalledCondition)
	set(obj, v1alpha1.ReconcilingCondition, metav1.ConditionTrue, v1alpha1.ProgressingWithRetryReason,
		"retrying after: "+failure.Error())
}

func set(obj *v1alpha1.GitRepository, conditionType string, status metav1.ConditionStatus, reason, message string) {
	conditions.Set(&obj.Status.Conditions, obj.Generation, conditionType, status, reason, message)
}

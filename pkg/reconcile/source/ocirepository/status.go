package ocirepository

import (
	"errors"
	"fmt"

	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// This file is the one place that sets conditions.

// markReconciling records that work on a new generation or request has
// started, so kstatus readers do not take the old Ready for the new one.
func markReconciling(obj *v1alpha1.OCIRepository, why string) {
	set(obj, v1alpha1.ReconcilingCondition, metav1.ConditionTrue, v1alpha1.ProgressingReason, why)
	set(obj, v1alpha1.ReadyCondition, metav1.ConditionUnknown, v1alpha1.ProgressingReason, why)
}

// summarize sets every condition from the outcome of the steps: err is nil
// or what the first failing step returned.
func summarize(obj *v1alpha1.OCIRepository, err error) {
	if a := obj.Status.Artifact; a != nil {
		set(obj, artifactInStorage, metav1.ConditionTrue, v1alpha1.SucceededReason,
			fmt.Sprintf("stored artifact for revision '%s'", a.Revision))
	} else {
		apimeta.RemoveStatusCondition(&obj.Status.Conditions, artifactInStorage)
	}
	if err == nil {
		for _, t := range []string{sourceFetchFailed, storageFailed, v1alpha1.ReconcilingCondition, v1alpha1.StalledCondition} {
			apimeta.RemoveStatusCondition(&obj.Status.Conditions, t)
		}
		set(obj, v1alpha1.ReadyCondition, metav1.ConditionTrue, v1alpha1.SucceededReason,
			fmt.Sprintf("stored artifact for revision '%s'", obj.Status.Artifact.Revision))
		obj.Status.ObservedGeneration = obj.Generation
		return
	}
	failure := asStepError(err)
	for _, t := range []string{sourceFetchFailed, storageFailed} {
		if t != failure.condition {
			apimeta.RemoveStatusCondition(&obj.Status.Conditions, t)
		}
	}
	set(obj, failure.condition, metav1.ConditionTrue, failure.reason, failure.Error())
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

func set(obj *v1alpha1.OCIRepository, conditionType string, status metav1.ConditionStatus, reason, message string) {
	apimeta.SetStatusCondition(&obj.Status.Conditions, metav1.Condition{
		Type:               conditionType,
		Status:             status,
		Reason:             reason,
		Message:            message,
		ObservedGeneration: obj.Generation,
	})
}

// isStalled reports whether err needs an edit of the object before a retry can help.
func isStalled(err error) bool {
	var se *stepError
	return errors.As(err, &se) && se.stalled
}

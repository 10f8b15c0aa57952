package helmchart

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
func markReconciling(obj *v1alpha1.HelmChart, why string) {
	set(obj, v1alpha1.ReconcilingCondition, metav1.ConditionTrue, v1alpha1.ProgressingReason, why)
	set(obj, v1alpha1.ReadyCondition, metav1.ConditionUnknown, v1alpha1.ProgressingReason, why)
}

// summarize sets every condition from the outcome of the steps: err is nil
// or what the first failing step returned.
func summarize(obj *v1alpha1.HelmChart, err error) {
	if a := obj.Status.Artifact; a != nil {
		set(obj, artifactInStorage, metav1.ConditionTrue, v1alpha1.SucceededReason,
			fmt.Sprintf("stored artifact: revision '%s'", a.Revision))
	} else {
		apimeta.RemoveStatusCondition(&obj.Status.Conditions, artifactInStorage)
	}
	failures := []string{sourceFetchFailed, buildFailed, storageFailed}
	if err == nil {
		for _, t := range append(failures, v1alpha1.ReconcilingCondition, v1alpha1.StalledCondition) {
			apimeta.RemoveStatusCondition(&obj.Status.Conditions, t)
		}
		reason, message := builtMessage(obj)
		set(obj, v1alpha1.ReadyCondition, metav1.ConditionTrue, reason, message)
		obj.Status.ObservedGeneration = obj.Generation
		return
	}
	failure := asStepError(err)
	for _, t := range failures {
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

// builtMessage is Flux's reason and message for the stored chart: pulled
// from a Helm repository, packaged from another source.
func builtMessage(obj *v1alpha1.HelmChart) (reason, message string) {
	a := obj.Status.Artifact
	if obj.Spec.SourceRef.Kind == v1alpha1.HelmRepositoryKind {
		return chartPullSucceeded, fmt.Sprintf("pulled '%s' chart with version '%s'", obj.Status.ObservedChartName, a.Revision)
	}
	return chartPackageSucceeded, fmt.Sprintf("packaged '%s' chart with version '%s'", obj.Status.ObservedChartName, a.Revision)
}

func set(obj *v1alpha1.HelmChart, conditionType string, status metav1.ConditionStatus, reason, message string) {
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

package source

import (
	"fmt"

	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/conditions"
)

// Status is the part of a source's status that Summarize sets.
type Status struct {
	Conditions         *[]metav1.Condition
	Generation         int64
	ObservedGeneration *int64
	Artifact           *v1alpha1.Artifact
}

// Summarize sets the conditions of a source from the outcome of its steps:
// err is nil or what the first failing step returned. negatives are the
// negative-polarity conditions (FetchFailed, ...) the kind's steps may set;
// only the failing one stays. A failed SourceVerified, the one positive
// condition a step can fail, is set False.
func Summarize(s Status, err error, reason string, negatives ...string) {
	set := func(conditionType string, status metav1.ConditionStatus, reason, message string) {
		conditions.Set(s.Conditions, s.Generation, conditionType, status, reason, message)
	}
	if a := s.Artifact; a != nil {
		set(ArtifactInStorageCondition, metav1.ConditionTrue, v1alpha1.SucceededReason,
			fmt.Sprintf("stored artifact for revision '%s'", a.Revision))
	} else {
		apimeta.RemoveStatusCondition(s.Conditions, ArtifactInStorageCondition)
	}
	if err == nil {
		for _, t := range append(negatives, v1alpha1.ReconcilingCondition, v1alpha1.StalledCondition) {
			apimeta.RemoveStatusCondition(s.Conditions, t)
		}
		message := "ready"
		if s.Artifact != nil {
			message = fmt.Sprintf("stored artifact for revision '%s'", s.Artifact.Revision)
		}
		set(v1alpha1.ReadyCondition, metav1.ConditionTrue, v1alpha1.SucceededReason, message)
		*s.ObservedGeneration = s.Generation
		return
	}
	failure := AsStepError(err, reason)
	for _, t := range negatives {
		if t != failure.Condition {
			apimeta.RemoveStatusCondition(s.Conditions, t)
		}
	}
	if failure.Condition == SourceVerifiedCondition {
		set(SourceVerifiedCondition, metav1.ConditionFalse, failure.Reason, failure.Error())
	} else {
		set(failure.Condition, metav1.ConditionTrue, failure.Reason, failure.Error())
	}
	set(v1alpha1.ReadyCondition, metav1.ConditionFalse, failure.Reason, failure.Error())
	if failure.Stalled {
		apimeta.RemoveStatusCondition(s.Conditions, v1alpha1.ReconcilingCondition)
		set(v1alpha1.StalledCondition, metav1.ConditionTrue, failure.Reason, failure.Error())
		// Nothing more will happen for this generation until it changes.
		*s.ObservedGeneration = s.Generation
		return
	}
	apimeta.RemoveStatusCondition(s.Conditions, v1alpha1.StalledCondition)
	set(v1alpha1.ReconcilingCondition, metav1.ConditionTrue, v1alpha1.ProgressingWithRetryReason,
		"retrying after: "+failure.Error())
}

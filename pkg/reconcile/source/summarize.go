package source

import (
	"fmt"

	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/conditions"
)

// Summarize sets the conditions of a source from the outcome of its steps:
// ArtifactInStorage from the artifact, the rest by conditions.Summarize.
// failures are the kind's own failure conditions besides FetchFailed and
// StorageOperationFailed; a failed SourceVerified is set False.
func Summarize(obj Source, err error, reason string, failures ...string) {
	artifact := obj.GetArtifact()
	conds, generation := obj.ReconcileStatus().Conditions, obj.GetGeneration()
	message := "ready"
	if artifact != nil {
		message = fmt.Sprintf("stored artifact for revision '%s'", artifact.Revision)
		conditions.Set(conds, generation, ArtifactInStorageCondition, metav1.ConditionTrue, v1alpha1.SucceededReason, message)
	} else {
		apimeta.RemoveStatusCondition(conds, ArtifactInStorageCondition)
	}
	conditions.Summarize(obj, err, conditions.Summary{
		Reason:       v1alpha1.SucceededReason,
		Message:      message,
		Failures:     append([]string{FetchFailedCondition, StorageOperationFailedCondition}, failures...),
		Checks:       []string{SourceVerifiedCondition},
		FailedReason: reason,
	})
}

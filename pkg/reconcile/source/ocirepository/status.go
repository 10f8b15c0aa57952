package ocirepository

import (
	"fmt"

	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/conditions"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// This file is the one place that sets conditions.

// summarize sets every condition from the outcome of the steps: err is nil
// or what the first failing step returned.
func summarize(obj *v1alpha1.OCIRepository, err error) {
	if obj.Spec.Verify == nil {
		apimeta.RemoveStatusCondition(&obj.Status.Conditions, source.SourceVerifiedCondition)
	} else if err == nil {
		conditions.Set(&obj.Status.Conditions, obj.Generation, source.SourceVerifiedCondition, metav1.ConditionTrue,
			v1alpha1.SucceededReason, fmt.Sprintf("verified signature of revision '%s'", obj.Status.Artifact.Revision))
	}
	source.Summarize(obj, err, v1alpha1.OCIPullFailedReason)
}

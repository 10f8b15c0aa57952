package helmrepository

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/conditions"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// This file is the one place that sets conditions.

// summarize sets every condition from the outcome of the steps: err is nil
// or what the first failing step returned.
func summarize(obj *v1alpha1.HelmRepository, err error) {
	source.Summarize(obj, err, v1alpha1.IndexationFailedReason)
	if err == nil && obj.Spec.Type == v1alpha1.HelmRepositoryTypeOCI {
		// Flux's words for a repository with nothing to store.
		conditions.Set(&obj.Status.Conditions, obj.Generation, v1alpha1.ReadyCondition, metav1.ConditionTrue,
			v1alpha1.SucceededReason, "Helm repository is ready")
	}
}

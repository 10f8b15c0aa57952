package notification

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/conditions"
)

// This file is the one place that sets the two kinds' conditions.

func summarizeProvider(obj *v1alpha1.Provider, err error) {
	conditions.Summarize(obj, err, conditions.Summary{
		Reason:       InitializedReason,
		Message:      "Provider is ready",
		FailedReason: ValidationFailedReason,
	})
}

func summarizeAlert(obj *v1alpha1.Alert, err error) {
	conditions.Summarize(obj, err, conditions.Summary{
		Reason:       InitializedReason,
		Message:      "Alert is ready: events go to Provider '" + obj.Spec.ProviderRef.Name + "'",
		FailedReason: ProviderNotReadyReason,
	})
}

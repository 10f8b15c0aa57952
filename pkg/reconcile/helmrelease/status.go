package helmrelease

import (
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/conditions"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// This file is the one place that sets conditions.

// summarize sets Released and Ready from the outcome of the steps: err is
// nil or what the first failing step returned. A failed action sets
// Released False (the step's failure names it); a success sets it True
// with the action's reason, which Ready shows too, as in Flux.
func summarize(obj *v1alpha1.HelmRelease, err error) {
	reason, message := v1alpha1.ReconciliationSucceededReason, "Release reconciliation succeeded"
	if err == nil && len(obj.Status.History) > 0 {
		reason, message = releasedReason(obj.Status.LastAttemptedReleaseAction), releasedMessage(obj)
		conditions.Set(&obj.Status.Conditions, obj.Generation, v1alpha1.ReleasedCondition, metav1.ConditionTrue, reason, message)
	}
	conditions.Summarize(obj, err, conditions.Summary{
		Reason:       reason,
		Message:      message,
		Checks:       []string{v1alpha1.ReleasedCondition},
		FailedReason: v1alpha1.ReconciliationFailedReason,
	})
}

// releasedReason is Released's reason after a successful action.
func releasedReason(action v1alpha1.ReleaseAction) string {
	if action == v1alpha1.ReleaseActionUpgrade {
		return v1alpha1.UpgradeSucceededReason
	}
	return v1alpha1.InstallSucceededReason
}

// releasedMessage says which release of which chart is deployed, as Flux
// words it: "Helm install succeeded for release ns/name.v1 with chart
// podinfo@6.5.0".
func releasedMessage(obj *v1alpha1.HelmRelease) string {
	latest := obj.Status.History[0]
	action := obj.Status.LastAttemptedReleaseAction
	if action == "" {
		action = v1alpha1.ReleaseActionInstall
	}
	return fmt.Sprintf("Helm %s succeeded for release %s/%s.v%d with chart %s@%s",
		action, latest.Namespace, latest.Name, latest.Version, latest.ChartName, latest.ChartVersion)
}

// valuesFailed reports values that cannot be composed (a missing
// valuesFrom object, a key that is not YAML) under Flux's reason.
func valuesFailed(err error) error {
	return outcome.Failed(v1alpha1.ValuesErrorReason, "%v", err)
}

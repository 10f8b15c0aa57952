package helmrelease

import (
	"fmt"

	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/conditions"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// This file is the one place that sets conditions.

// summarize sets Ready from the outcome of the steps: err is nil or what
// the first failing step returned. In sync, Ready says which release is
// deployed (Released, taken from the release when status lacks it), and a
// remediation is history; otherwise Ready is the failure, while Released
// and Remediated keep what the actions recorded.
func summarize(obj *v1alpha1.HelmRelease, err error) {
	reason, message := v1alpha1.ReconciliationSucceededReason, "Release reconciliation succeeded"
	if err == nil && len(obj.Status.History) > 0 {
		released := apimeta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ReleasedCondition)
		if released == nil || released.Status != metav1.ConditionTrue {
			markReleased(obj)
			released = apimeta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ReleasedCondition)
		}
		reason, message = released.Reason, released.Message
		if tested := apimeta.FindStatusCondition(obj.Status.Conditions, v1alpha1.TestSuccessCondition); tested != nil &&
			tested.Status == metav1.ConditionTrue && !testOptions(obj).IgnoreFailures {
			reason, message = tested.Reason, tested.Message
		}
		apimeta.RemoveStatusCondition(&obj.Status.Conditions, v1alpha1.RemediatedCondition)
	}
	if !testOptions(obj).Enable {
		apimeta.RemoveStatusCondition(&obj.Status.Conditions, v1alpha1.TestSuccessCondition)
	}
	conditions.Summarize(obj, err, conditions.Summary{
		Reason:       reason,
		Message:      message,
		FailedReason: v1alpha1.ReconciliationFailedReason,
	})
}

// markReleased records that the last install or upgrade succeeded.
func markReleased(obj *v1alpha1.HelmRelease) {
	conditions.Set(&obj.Status.Conditions, obj.Generation, v1alpha1.ReleasedCondition, metav1.ConditionTrue,
		releasedReason(obj.Status.LastAttemptedReleaseAction), releasedMessage(obj))
}

// markNotReleased records the failure of the last install or upgrade.
func markNotReleased(obj *v1alpha1.HelmRelease, failure *outcome.Failure) {
	conditions.Set(&obj.Status.Conditions, obj.Generation, v1alpha1.ReleasedCondition, metav1.ConditionFalse,
		failure.Reason, failure.Error())
}

// markRemediated records the outcome of a rollback or uninstall after a
// failure.
func markRemediated(obj *v1alpha1.HelmRelease, ok bool, how *outcome.Failure) {
	conditions.Set(&obj.Status.Conditions, obj.Generation, v1alpha1.RemediatedCondition, statusOf(ok), how.Reason, how.Error())
}

func statusOf(ok bool) metav1.ConditionStatus {
	if ok {
		return metav1.ConditionTrue
	}
	return metav1.ConditionFalse
}

// markRunning says which action runs: Reconciling, and for an install or
// upgrade Ready Unknown, with no remediation of an earlier one left.
func markRunning(obj *v1alpha1.HelmRelease, next *helmAction) {
	message := fmt.Sprintf("Running '%s' action with timeout of %s", next.name, next.timeout)
	if next.kind != releaseKind {
		conditions.Set(&obj.Status.Conditions, obj.Generation, v1alpha1.ReconcilingCondition, metav1.ConditionTrue,
			v1alpha1.ProgressingReason, message)
		return
	}
	apimeta.RemoveStatusCondition(&obj.Status.Conditions, v1alpha1.RemediatedCondition)
	apimeta.RemoveStatusCondition(&obj.Status.Conditions, v1alpha1.TestSuccessCondition)
	conditions.MarkReconciling(&obj.Status.Conditions, obj.Generation, message)
}

// markTested records the outcome of the chart's tests.
func markTested(obj *v1alpha1.HelmRelease, passed bool, how *outcome.Failure) {
	conditions.Set(&obj.Status.Conditions, obj.Generation, v1alpha1.TestSuccessCondition, statusOf(passed), how.Reason, how.Error())
}

// markDrifted records that objects of the release drifted; message names
// them.
func markDrifted(obj *v1alpha1.HelmRelease, message string) {
	conditions.Set(&obj.Status.Conditions, obj.Generation, v1alpha1.DriftedCondition, metav1.ConditionTrue,
		v1alpha1.DriftDetectedReason, message)
}

// markNoDrift records that the release's objects are as its manifest has
// them.
func markNoDrift(obj *v1alpha1.HelmRelease) {
	conditions.Set(&obj.Status.Conditions, obj.Generation, v1alpha1.DriftedCondition, metav1.ConditionFalse,
		v1alpha1.NoDriftDetectedReason, "No drift detected against the cluster state")
}

// forgetDrift drops Drifted when drift detection is disabled: what it
// found last may no longer be true.
func forgetDrift(obj *v1alpha1.HelmRelease) {
	apimeta.RemoveStatusCondition(&obj.Status.Conditions, v1alpha1.DriftedCondition)
}

// lastFailure is what went wrong last: the remediation, else the tests,
// else the release.
func lastFailure(obj *v1alpha1.HelmRelease) string {
	for _, t := range []string{v1alpha1.RemediatedCondition, v1alpha1.TestSuccessCondition, v1alpha1.ReleasedCondition} {
		if c := apimeta.FindStatusCondition(obj.Status.Conditions, t); c != nil && (t == v1alpha1.RemediatedCondition || c.Status == metav1.ConditionFalse) {
			return c.Message
		}
	}
	return "no release action failed"
}

// valuesFailed reports values that cannot be composed (a missing
// valuesFrom object, a key that is not YAML) under Flux's reason.
func valuesFailed(err error) error {
	return outcome.Failed(v1alpha1.ValuesErrorReason, "%v", err)
}

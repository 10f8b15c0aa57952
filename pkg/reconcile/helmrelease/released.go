package helmrelease

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// released records the outcome of an install or upgrade that started at
// start and ended with err: the release it left in status.history,
// Released, an Event, and a failure counted against the remediation's
// retries when the failed action left a release in storage.
func (r *Reconciler) released(obj *v1alpha1.HelmRelease, run *run, start time.Time, err error) error {
	action := obj.Status.LastAttemptedReleaseAction
	obj.Status.LastAttemptedReleaseActionDuration = &v1alpha1.Duration{Duration: time.Since(start).Round(time.Millisecond)}
	latest, readErr := lastRelease(run.helm, ReleaseName(obj))
	if readErr == nil && latest != nil {
		recordSnapshot(obj, latest)
	}
	if err == nil {
		markReleased(obj)
		observePostRendering(obj)
		run.failure = nil
		r.record(obj, run, corev1.EventTypeNormal, releasedReason(action), releasedMessage(obj))
		return nil
	}
	reason := v1alpha1.InstallFailedReason
	if action == v1alpha1.ReleaseActionUpgrade {
		reason = v1alpha1.UpgradeFailedReason
	}
	run.failure = outcome.Failed(reason, "Helm %s failed for release %s/%s with chart %s@%s: %v", action,
		releaseNamespace(obj), ReleaseName(obj), run.chart.Name(), run.chart.Metadata.Version, err)
	obj.Status.Failures++
	markNotReleased(obj, run.failure)
	r.record(obj, run, corev1.EventTypeWarning, reason, run.failure.Error())
	if readErr != nil || !storedBy(run.current, latest) {
		return run.failure
	}
	countFailure(obj, action)
	return nil
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

// releasedReason is Released's reason after a successful action.
func releasedReason(action v1alpha1.ReleaseAction) string {
	if action == v1alpha1.ReleaseActionUpgrade {
		return v1alpha1.UpgradeSucceededReason
	}
	return v1alpha1.InstallSucceededReason
}

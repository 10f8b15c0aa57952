package helmrelease

import (
	"time"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// remediation is what the settings of the last attempted action (install
// or upgrade) say about its failures, with Flux's defaults.
type remediation struct {
	// action whose failures these are.
	action v1alpha1.ReleaseAction
	// retries before giving up; negative retries forever.
	retries int64
	// failures of action counted since the desired state last changed.
	failures int64
	// remediateLast remediates also the failure that uses up the retries.
	remediateLast bool
	// strategy undoes a failure: uninstall for installs, rollback (or
	// uninstall) for upgrades.
	strategy v1alpha1.RemediationStrategy
	// ignoreTestFailures: failed tests neither count nor get remediated.
	ignoreTestFailures bool
}

// activeRemediation is the remediation of the last attempted action; ok is
// false when no install or upgrade was attempted.
func activeRemediation(obj *v1alpha1.HelmRelease) (remediation, bool) {
	switch obj.Status.LastAttemptedReleaseAction {
	case v1alpha1.ReleaseActionInstall:
		return installRemediation(obj), true
	case v1alpha1.ReleaseActionUpgrade:
		return upgradeRemediation(obj), true
	}
	return remediation{}, false
}

func installRemediation(obj *v1alpha1.HelmRelease) remediation {
	r := remediation{action: v1alpha1.ReleaseActionInstall, failures: obj.Status.InstallFailures,
		strategy: v1alpha1.RemediationUninstall, ignoreTestFailures: testOptions(obj).IgnoreFailures}
	if obj.Spec.Install != nil && obj.Spec.Install.Remediation != nil {
		spec := obj.Spec.Install.Remediation
		r.retries = int64(spec.Retries)
		r.remediateLast = spec.RemediateLastFailure != nil && *spec.RemediateLastFailure
		if spec.IgnoreTestFailures != nil {
			r.ignoreTestFailures = *spec.IgnoreTestFailures
		}
	}
	return r
}

func upgradeRemediation(obj *v1alpha1.HelmRelease) remediation {
	r := remediation{action: v1alpha1.ReleaseActionUpgrade, failures: obj.Status.UpgradeFailures,
		strategy: v1alpha1.RemediationRollback, ignoreTestFailures: testOptions(obj).IgnoreFailures}
	if obj.Spec.Upgrade != nil && obj.Spec.Upgrade.Remediation != nil {
		spec := obj.Spec.Upgrade.Remediation
		r.retries = int64(spec.Retries)
		if spec.IgnoreTestFailures != nil {
			r.ignoreTestFailures = *spec.IgnoreTestFailures
		}
		// Unset, the last failure is remediated when there were retries.
		r.remediateLast = spec.Retries > 0
		if spec.RemediateLastFailure != nil {
			r.remediateLast = *spec.RemediateLastFailure
		}
		if spec.Strategy != nil {
			r.strategy = *spec.Strategy
		}
	}
	return r
}

// exhausted: action failed more often than it may be retried.
func (r remediation) exhausted() bool {
	return r.retries >= 0 && r.failures > r.retries
}

// countFailure counts a failure of action against its remediation's
// retries: an install or upgrade that left a failed release in storage (one
// that did not is retried without counting), or failed tests of it.
func countFailure(obj *v1alpha1.HelmRelease, action v1alpha1.ReleaseAction) {
	if action == v1alpha1.ReleaseActionInstall {
		obj.Status.InstallFailures++
	} else {
		obj.Status.UpgradeFailures++
	}
}

// defaultRetryInterval is how long RetryOnFailure waits unless told, as Flux.
const defaultRetryInterval = 5 * time.Minute

// activeRetry is the retry interval when the last attempted action's
// strategy is RetryOnFailure: its failures are retried after that
// interval, without remediation and without limit. ok is false otherwise.
func activeRetry(obj *v1alpha1.HelmRelease) (interval time.Duration, ok bool) {
	var name v1alpha1.ActionStrategyName
	var every *v1alpha1.Duration
	switch obj.Status.LastAttemptedReleaseAction {
	case v1alpha1.ReleaseActionInstall:
		if obj.Spec.Install != nil && obj.Spec.Install.Strategy != nil {
			name, every = obj.Spec.Install.Strategy.Name, obj.Spec.Install.Strategy.RetryInterval
		}
	case v1alpha1.ReleaseActionUpgrade:
		if obj.Spec.Upgrade != nil && obj.Spec.Upgrade.Strategy != nil {
			name, every = obj.Spec.Upgrade.Strategy.Name, obj.Spec.Upgrade.Strategy.RetryInterval
		}
	}
	if name != v1alpha1.ActionStrategyRetryOnFailure {
		return 0, false
	}
	if every != nil && every.Duration > 0 {
		return every.Duration, true
	}
	return defaultRetryInterval, true
}

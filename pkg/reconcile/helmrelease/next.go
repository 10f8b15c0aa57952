package helmrelease

import (
	"slices"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// nextAction is the action the release's state calls for, nil when it is
// in sync, as Flux's helm-controller decides it: install what is absent,
// upgrade what is out of sync, remediate (or retry) what failed, as long as
// the remediation's retries last, and correct a drift when drift detection
// is enabled (a drift found again after its correction ends the run). A force request upgrades (or
// installs) once, whatever the state and the retries.
func (r *Reconciler) nextAction(obj *v1alpha1.HelmRelease, run *run) (*helmAction, error) {
	var next helmAction
	force := run.force
	run.force = false
	switch run.state {
	case stateInSync:
		if !force {
			return nil, nil
		}
		next = r.upgradeAction(obj)
	case stateAbsent:
		if rem := installRemediation(obj); rem.exhausted() && !force {
			return nil, retriesExceeded(obj, rem)
		}
		next = r.installAction(obj)
	case stateOutOfSync:
		if rem := upgradeRemediation(obj); rem.exhausted() && !force {
			return nil, retriesExceeded(obj, rem)
		}
		next = r.upgradeAction(obj)
	case stateUntested:
		next = r.testAction(obj)
	case stateDrifted:
		switch {
		case slices.Contains(run.done, driftKind):
			return nil, stillDrifted(run)
		case driftMode(obj) != v1alpha1.DriftDetectionEnabled:
			return nil, nil // warn: reported, not corrected
		}
		next = r.correctDriftAction(obj)
	default: // failed
		if force {
			next = r.upgradeAction(obj)
			break
		}
		action, err := r.remedy(obj, run)
		if err != nil {
			return nil, err
		}
		next = action
	}
	return &next, nil
}

// remedy is what a failed release gets: an upgrade when its failures are
// retried rather than remediated, when nothing failed under the current
// desired state (it changed since), or when no install or upgrade was
// attempted (a release unlocked from a stale pending state); else the
// remediation, unless the retries are used up.
func (r *Reconciler) remedy(obj *v1alpha1.HelmRelease, run *run) (helmAction, error) {
	if _, retry := activeRetry(obj); retry {
		return r.upgradeAction(obj), nil
	}
	rem, ok := activeRemediation(obj)
	if !ok || rem.failures <= 0 {
		return r.upgradeAction(obj), nil
	}
	if rem.exhausted() && !rem.remediateLast {
		return helmAction{}, retriesExceeded(obj, rem)
	}
	if rem.strategy == v1alpha1.RemediationUninstall {
		return r.uninstallRemediationAction(obj), nil
	}
	target, err := rollbackTarget(run.helm, run.current)
	if err != nil {
		return helmAction{}, outcome.Failed(v1alpha1.ReconciliationFailedReason, "reading the history of release '%s/%s': %v",
			storageNamespace(obj), ReleaseName(obj), err)
	}
	if target == nil {
		return helmAction{}, outcome.Stalled(v1alpha1.MissingRollbackTargetReason,
			"Failed to perform remediation: no earlier successful release of %s/%s to roll back to", storageNamespace(obj), ReleaseName(obj))
	}
	return r.rollbackAction(obj, target), nil
}

// retriesExceeded stalls the release until its desired state changes
// (spec, chart version, values), saying what failed last.
func retriesExceeded(obj *v1alpha1.HelmRelease, rem remediation) error {
	return outcome.Stalled(v1alpha1.RetriesExceededReason, "Failed to %s after %d attempt(s): %s",
		rem.action, rem.failures, lastFailure(obj))
}

package helmrelease

import (
	"context"
	"time"

	release "helm.sh/helm/v4/pkg/release/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// actionKind groups Helm actions: a run does each kind at most once, and
// stops after a remediation, as Flux's helm-controller does, so a failing
// release is never retried in a tight loop inside one run.
type actionKind string

const (
	releaseKind   actionKind = "release"   // install, upgrade
	remediateKind actionKind = "remediate" // rollback, uninstall
	testKind      actionKind = "test"
	driftKind     actionKind = "drift" // correct cluster drift
)

// helmAction is one Helm action a run may take on the release.
type helmAction struct {
	// name is the action as Flux names it in status and messages.
	name    string
	kind    actionKind
	timeout time.Duration
	// do runs the action and records its outcome in status. It returns an
	// error only when the action left no release in storage, so that there
	// is nothing to remediate and it is retried as it was.
	do func(ctx context.Context, obj *v1alpha1.HelmRelease, run *run) error
}

// storedBy reports whether the action changed the release in storage:
// latest is a new revision, or the one before in another status.
func storedBy(before, latest *release.Release) bool {
	if latest == nil {
		return false
	}
	return before == nil || latest.Version != before.Version || latest.Info.Status != before.Info.Status
}

// actionOf is the action that made rel: its first revision is an install.
func actionOf(rel *release.Release) v1alpha1.ReleaseAction {
	if rel.Version == 1 {
		return v1alpha1.ReleaseActionInstall
	}
	return v1alpha1.ReleaseActionUpgrade
}

// serverSideApply is a serverSideApply mode as Helm spells it; unset is
// auto: the way the release was last applied.
func serverSideApply(mode v1alpha1.ServerSideApplyMode) string {
	switch mode {
	case v1alpha1.ServerSideApplyEnabled:
		return "true"
	case v1alpha1.ServerSideApplyDisabled:
		return "false"
	}
	return "auto"
}

// actionTimeout is the action's own timeout, else spec.timeout.
func actionTimeout(obj *v1alpha1.HelmRelease, own *v1alpha1.Duration) time.Duration {
	if own != nil && own.Duration > 0 {
		return own.Duration
	}
	return timeoutOf(obj)
}

// maxHistory is spec.maxHistory, else 5; 0 keeps every revision.
func maxHistory(obj *v1alpha1.HelmRelease) int {
	if obj.Spec.MaxHistory != nil {
		return int(*obj.Spec.MaxHistory)
	}
	return defaultMaxHistory
}

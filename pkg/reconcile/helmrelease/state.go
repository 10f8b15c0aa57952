package helmrelease

import (
	"context"
	"errors"
	"fmt"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/release/common"
	release "helm.sh/helm/v4/pkg/release/v1"
	"helm.sh/helm/v4/pkg/storage/driver"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// releaseState is what the release in storage is, against what the
// HelmRelease asks for; it decides the one action of a run, as in Flux's
// helm-controller.
type releaseState string

const (
	// stateAbsent: no release (or only an uninstalled one): install.
	stateAbsent releaseState = "absent"
	// stateInSync: deployed with the chart version and values asked for.
	stateInSync releaseState = "in sync"
	// stateOutOfSync: deployed, but with another chart version or values,
	// or other post-renderers or commonMetadata.
	stateOutOfSync releaseState = "out of sync"
	// stateFailed: the last action (or its tests) failed, or it was
	// unlocked: remediate or upgrade.
	stateFailed releaseState = "failed"
	// stateUntested: in sync, but tests are enabled and have not run.
	stateUntested releaseState = "untested"
	// stateDrifted: in sync, but objects of the release changed in the
	// cluster or were deleted, as drift detection (drift.go) found them.
	stateDrifted releaseState = "drifted"
)

// determineState reads the release's latest revision and decides what it
// is. A release left pending-* (locked by an action that never finished:
// the server stopped, or lost its connection) is unlocked first, as Flux
// does, by marking it failed: nothing else of this server runs an action
// on it now, and locked it would refuse every action forever.
func determineState(ctx context.Context, obj *v1alpha1.HelmRelease, run *run) error {
	rel, err := lastRelease(run.helm, ReleaseName(obj))
	if err != nil {
		return outcome.Failed(v1alpha1.ReconciliationFailedReason, "reading release '%s/%s': %v", storageNamespace(obj), ReleaseName(obj), err)
	}
	run.current = rel
	if rel != nil && rel.Info.Status.IsPending() {
		if err := unlock(ctx, run.helm, rel); err != nil {
			return err
		}
	}
	run.state = stateOf(rel, run.chart.Metadata.Version, valuesDigest(run.values))
	if run.state == stateInSync && postRenderingChanged(obj) {
		run.state = stateOutOfSync
	}
	switch {
	case run.state != stateInSync:
	case untested(obj, rel.Version):
		run.state = stateUntested
	case failedTests(obj, rel.Version):
		run.state = stateFailed
	}
	return nil
}

// lastRelease is the latest revision of the release name, nil when there
// is none.
func lastRelease(helm *action.Configuration, name string) (*release.Release, error) {
	last, err := helm.Releases.Last(name)
	if errors.Is(err, driver.ErrReleaseNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	rel, ok := last.(*release.Release)
	if !ok {
		return nil, fmt.Errorf("release %s is a %T, not a Helm v3 release", name, last)
	}
	return rel, nil
}

// unlock marks a pending release failed, with a description saying why.
func unlock(ctx context.Context, helm *action.Configuration, rel *release.Release) error {
	was := rel.Info.Status
	rel.Info.Status = common.StatusFailed
	rel.Info.Description = fmt.Sprintf("Release unlocked from stale '%s' state", was)
	if err := helm.Releases.Update(rel); err != nil {
		return outcome.Failed(v1alpha1.ReconciliationFailedReason, "unlocking release '%s/%s' from '%s': %v", rel.Namespace, rel.Name, was, err)
	}
	klog.FromContext(ctx).Info("Unlocked a stale release", "release", rel.Namespace+"/"+rel.Name, "version", rel.Version, "was", was)
	return nil
}

// stateOf compares the latest revision with the chart version and values
// digest asked for.
func stateOf(rel *release.Release, chartVersion, configDigest string) releaseState {
	switch {
	case rel == nil || rel.Info.Status == common.StatusUninstalled:
		return stateAbsent
	case rel.Info.Status != common.StatusDeployed:
		return stateFailed
	case rel.Chart == nil || rel.Chart.Metadata == nil || rel.Chart.Metadata.Version != chartVersion:
		return stateOutOfSync
	case valuesDigest(rel.Config) != configDigest:
		return stateOutOfSync
	}
	return stateInSync
}

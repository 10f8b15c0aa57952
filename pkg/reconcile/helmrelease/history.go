package helmrelease

import (
	"slices"

	release "helm.sh/helm/v4/pkg/release/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// snapshotOf is status.history's record of a release revision, as Flux's.
func snapshotOf(rel *release.Release) v1alpha1.HelmReleaseSnapshot {
	s := v1alpha1.HelmReleaseSnapshot{
		APIVersion:    "v2",
		Digest:        digestOf(rel),
		Name:          rel.Name,
		Namespace:     rel.Namespace,
		Version:       int32(rel.Version),
		Status:        rel.Info.Status.String(),
		ChartName:     rel.Chart.Name(),
		ChartVersion:  rel.Chart.Metadata.Version,
		AppVersion:    rel.Chart.Metadata.AppVersion,
		ConfigDigest:  valuesDigest(rel.Config),
		FirstDeployed: metav1.NewTime(rel.Info.FirstDeployed),
		LastDeployed:  metav1.NewTime(rel.Info.LastDeployed),
		TestHooks:     testHooksOf(rel),
	}
	if !rel.Info.Deleted.IsZero() {
		s.Deleted = metav1.NewTime(rel.Info.Deleted)
	}
	return s
}

// recordSnapshot puts rel first in status.history, replacing an older
// record of the same revision, and keeps the newest maxSnapshots.
// A record of a revision that knows its tests ran (none to run) keeps that.
func recordSnapshot(obj *v1alpha1.HelmRelease, rel *release.Release) {
	snapshot := snapshotOf(rel)
	if old := snapshotOfVersion(obj, rel.Version); old != nil && snapshot.TestHooks == nil {
		snapshot.TestHooks = old.TestHooks
	}
	recordSnapshotOf(obj, snapshot)
}

func recordSnapshotOf(obj *v1alpha1.HelmRelease, snapshot v1alpha1.HelmReleaseSnapshot) {
	history := []v1alpha1.HelmReleaseSnapshot{snapshot}
	for _, s := range obj.Status.History {
		if s.Name == snapshot.Name && s.Namespace == snapshot.Namespace && s.Version == snapshot.Version {
			continue
		}
		history = append(history, s)
	}
	obj.Status.History = history[:min(len(history), maxSnapshots)]
}

// testHooksOf are the test hooks of rel that ran, nil when none did.
func testHooksOf(rel *release.Release) *map[string]v1alpha1.TestHookStatus {
	var hooks map[string]v1alpha1.TestHookStatus
	for _, h := range rel.Hooks {
		if !slices.Contains(h.Events, release.HookTest) || h.LastRun.StartedAt.IsZero() {
			continue
		}
		if hooks == nil {
			hooks = map[string]v1alpha1.TestHookStatus{}
		}
		hooks[h.Name] = v1alpha1.TestHookStatus{LastStarted: metav1.NewTime(h.LastRun.StartedAt),
			LastCompleted: metav1.NewTime(h.LastRun.CompletedAt), Phase: h.LastRun.Phase.String()}
	}
	if hooks == nil {
		return nil
	}
	return &hooks
}

// snapshotOfVersion is status.history's record of revision version of
// the release, nil when it has none.
func snapshotOfVersion(obj *v1alpha1.HelmRelease, version int) *v1alpha1.HelmReleaseSnapshot {
	for i, s := range obj.Status.History {
		if s.Name == ReleaseName(obj) && int(s.Version) == version {
			return &obj.Status.History[i]
		}
	}
	return nil
}

package helmrelease

import (
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
	}
	if !rel.Info.Deleted.IsZero() {
		s.Deleted = metav1.NewTime(rel.Info.Deleted)
	}
	return s
}

// recordSnapshot puts rel first in status.history, replacing an older
// record of the same revision, and keeps the newest maxSnapshots.
func recordSnapshot(obj *v1alpha1.HelmRelease, rel *release.Release) {
	snapshot := snapshotOf(rel)
	history := []v1alpha1.HelmReleaseSnapshot{snapshot}
	for _, s := range obj.Status.History {
		if s.Name == snapshot.Name && s.Namespace == snapshot.Namespace && s.Version == snapshot.Version {
			continue
		}
		history = append(history, s)
	}
	obj.Status.History = history[:min(len(history), maxSnapshots)]
}

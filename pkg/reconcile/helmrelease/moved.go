package helmrelease

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// uninstallMovedRelease uninstalls the release status.history knows when
// the HelmRelease now names another one (another releaseName,
// targetNamespace or storageNamespace, or, unless
// upgrade.chartNameChangeStrategy is InPlaceUpdate, another chart), as
// Flux does: Helm cannot move a release, and a new one installed beside it
// would fight it over the same objects. The run then installs anew.
func (r *Reconciler) uninstallMovedRelease(ctx context.Context, obj *v1alpha1.HelmRelease, run *run) error {
	if len(obj.Status.History) == 0 {
		return nil
	}
	last := obj.Status.History[0]
	storage := obj.Status.StorageNamespace
	if storage == "" {
		storage = storageNamespace(obj)
	}
	why := movedBecause(obj, last, storage, run.chart.Name())
	if why == "" {
		return nil
	}
	helm, _, err := r.helmIn(ctx, obj, storage, last.Namespace)
	if err != nil {
		return err
	}
	rel, err := lastRelease(helm, last.Name)
	if err != nil {
		return outcome.Failed(v1alpha1.UninstallFailedReason, "reading release '%s/%s': %v", storage, last.Name, err)
	}
	if rel != nil {
		if rel.Info.Status.IsPending() {
			if err := unlock(ctx, helm, rel); err != nil {
				return err
			}
		}
		if err := helmUninstall(helm, obj, last.Name); err != nil {
			return outcome.Failed(v1alpha1.UninstallFailedReason, "%s: %v", why, err)
		}
		message := fmt.Sprintf("Helm uninstall succeeded for release %s/%s.v%d with chart %s@%s: %s",
			last.Namespace, last.Name, rel.Version, last.ChartName, last.ChartVersion, why)
		klog.FromContext(ctx).Info("Uninstalled a release the HelmRelease no longer names", "helmrelease", klog.KObj(obj), "release", last.Name, "why", why)
		r.record(obj, run, corev1.EventTypeNormal, v1alpha1.UninstallSucceededReason, message)
	}
	obj.Status.History = nil
	obj.Status.StorageNamespace = ""
	obj.Status.Failures, obj.Status.InstallFailures, obj.Status.UpgradeFailures = 0, 0, 0
	return nil
}

// movedBecause says how the release obj names differs from last, the
// latest it made (stored in storage), or "" when it is the same.
func movedBecause(obj *v1alpha1.HelmRelease, last v1alpha1.HelmReleaseSnapshot, storage, chartName string) string {
	switch {
	case last.Name != ReleaseName(obj):
		return fmt.Sprintf("release name changed from %s to %s", last.Name, ReleaseName(obj))
	case last.Namespace != releaseNamespace(obj):
		return fmt.Sprintf("target namespace changed from %s to %s", last.Namespace, releaseNamespace(obj))
	case storage != storageNamespace(obj):
		return fmt.Sprintf("storage namespace changed from %s to %s", storage, storageNamespace(obj))
	case last.ChartName != chartName && upgradeOptions(obj).ChartNameChangeStrategy != v1alpha1.ChartNameChangeInPlaceUpdate:
		return fmt.Sprintf("chart changed from %s to %s", last.ChartName, chartName)
	}
	return ""
}

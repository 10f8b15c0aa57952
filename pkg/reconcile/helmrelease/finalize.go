package helmrelease

import (
	"context"
	"fmt"
	"slices"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/events"
)

// addFinalizer makes sure obj is not gone before its release is.
func (r *Reconciler) addFinalizer(ctx context.Context, obj *v1alpha1.HelmRelease) (*v1alpha1.HelmRelease, error) {
	if slices.Contains(obj.Finalizers, finalizer) {
		return obj, nil
	}
	obj.Finalizers = append(obj.Finalizers, finalizer)
	updated, err := r.Client.HelmReleases(obj.Namespace).Update(ctx, obj, metav1.UpdateOptions{})
	if err != nil {
		return obj, fmt.Errorf("adding finalizer: %w", err)
	}
	return updated, nil
}

// finalize uninstalls the release of a deleted HelmRelease (unless it is
// suspended), deletes the HelmChart of its spec.chart, then lets it go.
func (r *Reconciler) finalize(ctx context.Context, obj *v1alpha1.HelmRelease) error {
	if !slices.Contains(obj.Finalizers, finalizer) {
		return nil
	}
	if !obj.Spec.Suspend {
		if err := r.uninstall(ctx, obj); err != nil {
			events.Record(r.Events, obj, events.Revision{Revision: obj.Status.LastAttemptedRevision}, corev1.EventTypeWarning,
				v1alpha1.UninstallFailedReason, err.Error())
			return err
		}
	}
	if err := r.deleteHelmChart(ctx, obj); err != nil {
		return err
	}
	obj = obj.DeepCopy()
	obj.Finalizers = slices.DeleteFunc(obj.Finalizers, func(f string) bool { return f == finalizer })
	if _, err := r.Client.HelmReleases(obj.Namespace).Update(ctx, obj, metav1.UpdateOptions{}); err != nil {
		return fmt.Errorf("removing finalizer: %w", err)
	}
	return nil
}

// uninstall uninstalls the release, if there is one, with
// spec.uninstall's options.
func (r *Reconciler) uninstall(ctx context.Context, obj *v1alpha1.HelmRelease) error {
	helm, _, err := r.helmFor(ctx, obj)
	if err != nil {
		return err
	}
	name := ReleaseName(obj)
	rel, err := lastRelease(helm, name)
	if err != nil {
		return fmt.Errorf("reading release '%s/%s': %w", storageNamespace(obj), name, err)
	}
	if rel == nil {
		return nil
	}
	if rel.Info.Status.IsPending() {
		// Helm refuses to uninstall a locked release.
		if err := unlock(ctx, helm, rel); err != nil {
			return err
		}
	}
	if err := helmUninstall(helm, obj, name); err != nil {
		return err
	}
	klog.FromContext(ctx).Info("Uninstalled the release of a deleted HelmRelease", "helmrelease", klog.KObj(obj), "release", name)
	events.Record(r.Events, obj, events.Revision{Revision: obj.Status.LastAttemptedRevision}, corev1.EventTypeNormal,
		v1alpha1.UninstallSucceededReason, fmt.Sprintf("Helm uninstall succeeded for release %s/%s.v%d", rel.Namespace, name, rel.Version))
	return nil
}

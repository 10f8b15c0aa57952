package kustomize

import (
	"context"
	"fmt"
	"slices"

	"github.com/fluxcd/pkg/ssa"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/events"
	"gitops.io/apiserver/pkg/reconcile/health"
)

// addFinalizer makes sure obj is not gone before its objects are collected.
func (r *Reconciler) addFinalizer(ctx context.Context, obj *v1alpha1.Kustomization) (*v1alpha1.Kustomization, error) {
	if slices.Contains(obj.Finalizers, finalizer) {
		return obj, nil
	}
	obj.Finalizers = append(obj.Finalizers, finalizer)
	updated, err := r.Client.Kustomizations(obj.Namespace).Update(ctx, obj, metav1.UpdateOptions{})
	if err != nil {
		return obj, fmt.Errorf("adding finalizer: %w", err)
	}
	return updated, nil
}

// finalize deletes the objects of a deleted Kustomization as its
// deletionPolicy says, then lets it go. A suspended one leaves them.
func (r *Reconciler) finalize(ctx context.Context, obj *v1alpha1.Kustomization) error {
	if !slices.Contains(obj.Finalizers, finalizer) {
		return nil
	}
	if !obj.Spec.Suspend && deletesObjects(obj) && obj.Status.Inventory != nil {
		if err := r.deleteInventory(ctx, obj); err != nil {
			events.Record(r.Events, obj, events.Revision{Revision: obj.Status.LastAppliedRevision}, corev1.EventTypeWarning,
				v1alpha1.PruneFailedReason, err.Error())
			return err
		}
	}
	obj = obj.DeepCopy()
	obj.Finalizers = slices.DeleteFunc(obj.Finalizers, func(f string) bool { return f == finalizer })
	if _, err := r.Client.Kustomizations(obj.Namespace).Update(ctx, obj, metav1.UpdateOptions{}); err != nil {
		return fmt.Errorf("removing finalizer: %w", err)
	}
	return nil
}

func (r *Reconciler) deleteInventory(ctx context.Context, obj *v1alpha1.Kustomization) error {
	manager, err := r.managerFor(ctx, obj)
	if err != nil {
		return err
	}
	deleted, err := deleteObjects(ctx, manager, obj, inventoryObjects(obj.Status.Inventory))
	if err != nil {
		return fmt.Errorf("deleting the objects of %s/%s: %w", obj.Namespace, obj.Name, err)
	}
	klog.FromContext(ctx).Info("Deleted the objects of a deleted Kustomization",
		"kustomization", klog.KObj(obj), "objects", len(deleted.Entries))
	if obj.Spec.DeletionPolicy == v1alpha1.DeletionPolicyWaitForTermination {
		err := manager.WaitForSetTermination(deleted, ssa.WaitOptions{Interval: health.PollInterval, Timeout: timeoutOf(obj)})
		if err != nil {
			// As Flux: after spec.timeout the Kustomization goes anyway, so
			// an object that never terminates cannot hold it forever.
			events.Record(r.Events, obj, events.Revision{Revision: obj.Status.LastAppliedRevision}, corev1.EventTypeWarning,
				v1alpha1.FailedReason, fmt.Sprintf("gave up waiting for the objects to terminate after %s: %v", timeoutOf(obj), err))
		}
	}
	return nil
}

// deletesObjects reports whether deleting obj deletes its objects.
func deletesObjects(obj *v1alpha1.Kustomization) bool {
	switch obj.Spec.DeletionPolicy {
	case v1alpha1.DeletionPolicyDelete, v1alpha1.DeletionPolicyWaitForTermination:
		return true
	case v1alpha1.DeletionPolicyOrphan:
		return false
	}
	return obj.Spec.Prune != nil && *obj.Spec.Prune // MirrorPrune, the default
}

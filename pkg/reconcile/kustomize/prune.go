package kustomize

import (
	"context"

	"github.com/fluxcd/pkg/ssa"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// deleteObjects deletes objects that still carry obj's owner labels,
// except those annotated to be kept (ssa: Ignore too, as in Flux), and
// returns what it deleted.
func deleteObjects(ctx context.Context, manager *ssa.ResourceManager, obj *v1alpha1.Kustomization, objects []*unstructured.Unstructured) (*ssa.ChangeSet, error) {
	if len(objects) == 0 {
		return ssa.NewChangeSet(), nil
	}
	return manager.DeleteAll(ctx, objects, ssa.DeleteOptions{
		PropagationPolicy: metav1.DeletePropagationBackground,
		// Only objects that are still ours: another Kustomization may have
		// taken one over.
		Inclusions: manager.GetOwnerLabels(obj.Name, obj.Namespace),
		Exclusions: map[string]string{pruneAnnotation: "disabled", reconcileAnnotation: "disabled", ssaAnnotation: "Ignore"},
	})
}

// prune deletes the objects of the last inventory that the new one no
// longer has, when spec.prune is set.
func prune(ctx context.Context, manager *ssa.ResourceManager, obj *v1alpha1.Kustomization, old *v1alpha1.ResourceInventory) (*ssa.ChangeSet, error) {
	if obj.Spec.Prune == nil || !*obj.Spec.Prune {
		return ssa.NewChangeSet(), nil
	}
	stale := staleObjects(old, obj.Status.Inventory)
	changes, err := deleteObjects(ctx, manager, obj, stale)
	if err != nil {
		// What could not be deleted stays in the inventory, so the next
		// reconcile tries again rather than forgetting it.
		obj.Status.Inventory = withSurvivors(obj.Status.Inventory, stale, changes)
		return changes, outcome.Failed(v1alpha1.PruneFailedReason, "pruning: %v", err)
	}
	return changes, nil
}

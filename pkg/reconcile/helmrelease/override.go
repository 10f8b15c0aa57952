package helmrelease

import (
	"context"
	"encoding/json"

	"github.com/fluxcd/pkg/ssa"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"gitops.io/apiserver/pkg/reconcile/target"
)

// takeOverFields hands Helm's field manager the fields that the override
// managers (--override-manager) own on the release's objects in the
// cluster, as Flux's helm-controller does before it looks for drift: what
// they changed then shows as drift, and what they added, no longer owned
// by anyone else, is removed when the drift is corrected.
func (r *Reconciler) takeOverFields(ctx context.Context, manager *ssa.ResourceManager, objects []*unstructured.Unstructured) error {
	if len(r.OverrideManagers) == 0 {
		return nil
	}
	managers := target.FieldManagers(r.OverrideManagers)
	for _, o := range objects {
		existing := &unstructured.Unstructured{}
		existing.SetGroupVersionKind(o.GroupVersionKind())
		if err := manager.Client().Get(ctx, client.ObjectKeyFromObject(o), existing); err != nil {
			if apierrors.IsNotFound(err) {
				continue
			}
			return err
		}
		patches, err := ssa.PatchReplaceFieldsManagers(existing, managers, helmFieldManager())
		if err != nil {
			return err
		}
		if len(patches) == 0 {
			continue
		}
		raw, err := json.Marshal(patches)
		if err != nil {
			return err
		}
		if err := manager.Client().Patch(ctx, existing, client.RawPatch(types.JSONPatchType, raw), client.FieldOwner(helmFieldManager())); err != nil {
			return err
		}
	}
	return nil
}

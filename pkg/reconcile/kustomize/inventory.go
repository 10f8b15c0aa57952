package kustomize

import (
	"slices"
	"sort"
	"strings"

	"github.com/fluxcd/cli-utils/pkg/object"
	"github.com/fluxcd/pkg/ssa"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// inventoryOf lists the objects of a change set in Flux's entry format
// (id '<namespace>_<name>_<group>_<kind>', v the API version), sorted.
func inventoryOf(changes *ssa.ChangeSet) *v1alpha1.ResourceInventory {
	inv := &v1alpha1.ResourceInventory{Entries: []v1alpha1.ResourceRef{}}
	for _, e := range changes.Entries {
		version := e.GroupVersion
		if gv, err := schema.ParseGroupVersion(e.GroupVersion); err == nil {
			version = gv.Version
		}
		inv.Entries = append(inv.Entries, v1alpha1.ResourceRef{ID: e.ObjMetadata.String(), Version: version})
	}
	slices.SortFunc(inv.Entries, func(a, b v1alpha1.ResourceRef) int { return strings.Compare(a.ID, b.ID) })
	return inv
}

// staleObjects returns the objects in old that are not in current, as
// stubs (kind, name, namespace) to delete.
func staleObjects(old, current *v1alpha1.ResourceInventory) []*unstructured.Unstructured {
	if old == nil {
		return nil
	}
	keep := map[string]bool{}
	if current != nil {
		for _, e := range current.Entries {
			keep[e.ID] = true
		}
	}
	var stale []*unstructured.Unstructured
	for _, e := range old.Entries {
		if !keep[e.ID] {
			if u := stub(e); u != nil {
				stale = append(stale, u)
			}
		}
	}
	// Reverse apply order: namespaces and CRDs go last.
	sort.Sort(sort.Reverse(ssa.SortableUnstructureds(stale)))
	return stale
}

// withSurvivors returns inv plus the objects of stale that changes does
// not show deleted or skipped (kept by an annotation).
func withSurvivors(inv *v1alpha1.ResourceInventory, stale []*unstructured.Unstructured, changes *ssa.ChangeSet) *v1alpha1.ResourceInventory {
	settled := map[string]bool{}
	for _, e := range changes.Entries {
		if e.Action == ssa.DeletedAction || e.Action == ssa.SkippedAction {
			settled[e.ObjMetadata.String()] = true
		}
	}
	out := &v1alpha1.ResourceInventory{}
	if inv != nil {
		out = inv.DeepCopy()
	}
	for _, u := range stale {
		if id := object.UnstructuredToObjMetadata(u).String(); !settled[id] {
			out.Entries = append(out.Entries, v1alpha1.ResourceRef{ID: id, Version: u.GroupVersionKind().Version})
		}
	}
	slices.SortFunc(out.Entries, func(a, b v1alpha1.ResourceRef) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// inventoryObjects returns stubs of every object in inv.
func inventoryObjects(inv *v1alpha1.ResourceInventory) []*unstructured.Unstructured {
	return staleObjects(inv, nil)
}

// stub returns an object with only the identity of an inventory entry, or
// nil for an entry that cannot be parsed.
func stub(e v1alpha1.ResourceRef) *unstructured.Unstructured {
	id, err := object.ParseObjMetadata(e.ID)
	if err != nil {
		return nil
	}
	u := &unstructured.Unstructured{}
	u.SetGroupVersionKind(id.GroupKind.WithVersion(e.Version))
	u.SetNamespace(id.Namespace)
	u.SetName(id.Name)
	return u
}

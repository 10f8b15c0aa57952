package kustomize

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/fluxcd/pkg/ssa"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/pkg/reconcile/target"
)

// apply applies objects with server-side apply in stages (CRDs, Namespaces
// and cluster roles first, waiting for them, then the rest). Objects whose
// dry-run shows no drift are not applied again. The fields of the
// override managers are taken over.
func apply(ctx context.Context, manager *ssa.ResourceManager, obj *v1alpha1.Kustomization, objects []*unstructured.Unstructured, overrideManagers []string) (*ssa.ChangeSet, error) {
	// spec.ignore: fields that other controllers own (an HPA's replicas,
	// say), left out of drift detection and apply.
	ignore, err := target.IgnoreRules(obj.Spec.Ignore)
	if err != nil {
		return ssa.NewChangeSet(), outcome.Stalled(v1alpha1.ReconciliationFailedReason, "spec.ignore: %v", err)
	}
	objects, err = jsonObjects(objects)
	if err != nil {
		return ssa.NewChangeSet(), outcome.Failed(v1alpha1.BuildFailedReason, "%v", err)
	}
	manager.SetOwnerLabels(objects, obj.Name, obj.Namespace)
	opts := ssa.DefaultApplyOptions()
	opts.Force = obj.Spec.Force
	opts.ForceSelector = map[string]string{forceAnnotation: "enabled"}
	opts.ExclusionSelector = map[string]string{ssaAnnotation: "Ignore", reconcileAnnotation: "disabled"}
	opts.IfNotPresentSelector = map[string]string{ssaAnnotation: "IfNotPresent"}
	opts.WaitTimeout = timeoutOf(obj)
	// Fields set by kubectl and by the override managers are taken over,
	// unless the object asks to be merged with them.
	opts.Cleanup = ssa.ApplyCleanupOptions{
		Annotations: []string{"kubectl.kubernetes.io/last-applied-configuration"},
		FieldManagers: append([]ssa.FieldManager{
			{Name: "kubectl", OperationType: metav1.ManagedFieldsOperationApply},
			{Name: "kubectl-client-side-apply", OperationType: metav1.ManagedFieldsOperationUpdate},
			{Name: "before-first-apply", OperationType: metav1.ManagedFieldsOperationUpdate},
		}, target.FieldManagers(overrideManagers)...),
		Exclusions: map[string]string{ssaAnnotation: "Merge"},
	}
	opts.DriftIgnoreRules = ignore
	changes, err := manager.ApplyAllStaged(ctx, objects, opts)
	if err != nil {
		return changes, outcome.Failed(v1alpha1.ReconciliationFailedReason, "%v", err)
	}
	return changes, nil
}

// jsonObjects returns copies of objects holding only JSON types: values
// of other types (a YAML decoder's int) make the applier panic in a
// goroutine of its own, where no recover can catch it.
func jsonObjects(objects []*unstructured.Unstructured) ([]*unstructured.Unstructured, error) {
	out := make([]*unstructured.Unstructured, 0, len(objects))
	for _, o := range objects {
		data, err := json.Marshal(o.Object)
		if err != nil {
			return nil, fmt.Errorf("%s/%s/%s: %w", o.GetKind(), o.GetNamespace(), o.GetName(), err)
		}
		u := &unstructured.Unstructured{}
		if err := u.UnmarshalJSON(data); err != nil {
			return nil, fmt.Errorf("%s/%s/%s: %w", o.GetKind(), o.GetNamespace(), o.GetName(), err)
		}
		out = append(out, u)
	}
	return out, nil
}

// changed lists the entries of changes that changed the cluster, one
// "Kind/namespace/name action" line each, for Events and logs.
func changed(changes *ssa.ChangeSet) []string {
	var lines []string
	for _, e := range changes.Entries {
		if e.Action != ssa.UnchangedAction && e.Action != ssa.SkippedAction {
			lines = append(lines, e.String())
		}
	}
	return lines
}

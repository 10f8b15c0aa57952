package kustomize

import (
	"context"
	"strings"

	"github.com/fluxcd/pkg/runtime/cel"
	celgo "github.com/google/cel-go/cel"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// checkDependencies waits while a Kustomization of spec.dependsOn is not
// ready, and stalls on a dependency cycle, a readyExpr that cannot be
// evaluated or a dependency in another namespace the server forbids, which
// no amount of waiting resolves.
func (r *Reconciler) checkDependencies(ctx context.Context, obj *v1alpha1.Kustomization) error {
	if r.NoCrossNamespaceRefs {
		// First: a refused dependency is neither read nor named in a cycle.
		for i, dep := range dependencies(obj) {
			if dep.Namespace != obj.Namespace {
				return outcome.Stalled(v1alpha1.DependencyNotReadyReason,
					"spec.dependsOn[%d]: cannot refer to Kustomization/%s: cross-namespace references are not allowed on this server", i, dep)
			}
		}
	}
	if cycle := r.dependencyCycle(obj); cycle != nil {
		return outcome.Stalled(v1alpha1.DependencyNotReadyReason, "dependency cycle: %s", strings.Join(cycle, " -> "))
	}
	for i, dep := range dependencies(obj) {
		other, err := r.Kustomizations.Kustomizations(dep.Namespace).Get(dep.Name)
		if apierrors.IsNotFound(err) {
			return outcome.Waiting(v1alpha1.DependencyNotReadyReason, "dependency '%s' not found", dep)
		}
		if err != nil {
			return err
		}
		ready, err := dependencyReady(ctx, obj, other, obj.Spec.DependsOn[i].ReadyExpr)
		if err != nil {
			return outcome.Stalled(v1alpha1.DependencyNotReadyReason, "spec.dependsOn[%d].readyExpr: %v", i, err)
		}
		if !ready {
			return outcome.Waiting(v1alpha1.DependencyNotReadyReason, "dependency '%s' is not ready", dep)
		}
	}
	return nil
}

// dependencyReady decides whether dep is ready for obj: by readyExpr, a
// CEL expression over `self` (obj) and `dep`, when given, else by dep's
// Ready condition at its latest generation.
func dependencyReady(ctx context.Context, obj, dep *v1alpha1.Kustomization, readyExpr string) (bool, error) {
	if readyExpr == "" {
		return isReady(dep), nil
	}
	expr, err := cel.NewExpression(readyExpr, cel.WithCompile(), cel.WithOutputType(celgo.BoolType),
		cel.WithStructVariables("self", "dep"))
	if err != nil {
		return false, err
	}
	self, err := asMap(obj)
	if err != nil {
		return false, err
	}
	other, err := asMap(dep)
	if err != nil {
		return false, err
	}
	return expr.EvaluateBoolean(ctx, map[string]any{"self": self, "dep": other})
}

// asMap is obj as CEL sees it: its JSON form, apiVersion and kind included
// (objects from an informer's cache have none).
func asMap(obj *v1alpha1.Kustomization) (map[string]any, error) {
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		return nil, err
	}
	m["apiVersion"], m["kind"] = v1alpha1.SchemeGroupVersion.String(), kind
	return m, nil
}

// dependencies returns spec.dependsOn with namespaces filled in.
func dependencies(obj *v1alpha1.Kustomization) []types.NamespacedName {
	deps := make([]types.NamespacedName, 0, len(obj.Spec.DependsOn))
	for _, d := range obj.Spec.DependsOn {
		ns := d.Namespace
		if ns == "" {
			ns = obj.Namespace
		}
		deps = append(deps, types.NamespacedName{Namespace: ns, Name: d.Name})
	}
	return deps
}

// dependencyCycle returns a path of dependsOn links from obj back to obj,
// or nil when there is none. Objects not in the cache end a path.
func (r *Reconciler) dependencyCycle(obj *v1alpha1.Kustomization) []string {
	start := types.NamespacedName{Namespace: obj.Namespace, Name: obj.Name}
	visited := map[types.NamespacedName]bool{}
	var walk func(k *v1alpha1.Kustomization, path []string) []string
	walk = func(k *v1alpha1.Kustomization, path []string) []string {
		for _, dep := range dependencies(k) {
			next := append(path[:len(path):len(path)], dep.String())
			if dep == start {
				return next
			}
			if visited[dep] {
				continue
			}
			visited[dep] = true
			other, err := r.Kustomizations.Kustomizations(dep.Namespace).Get(dep.Name)
			if err != nil {
				continue
			}
			if cycle := walk(other, next); cycle != nil {
				return cycle
			}
		}
		return nil
	}
	return walk(obj, []string{start.String()})
}

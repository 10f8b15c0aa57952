package dependency

import (
	"context"
	"strings"

	"github.com/fluxcd/pkg/runtime/cel"
	celgo "github.com/google/cel-go/cel"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/conditions"
	"gitops.io/apiserver/pkg/reconcile/controller"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// Getter reads an object of kind from the informers' caches.
type Getter func(kind, namespace, name string) (controller.Reconciled, error)

// Dependent is an object with spec.dependsOn.
type Dependent interface {
	controller.Reconciled
	GetDependsOn() []v1alpha1.DependencyReference
}

// Checker decides whether an object may go ahead.
type Checker struct {
	Get Getter
	// NoCrossNamespaceRefs refuses dependencies in another namespace.
	NoCrossNamespaceRefs bool
}

// Check waits while a dependency of obj (of kind) is missing or not ready,
// and stalls on a dependency cycle, a readyExpr that cannot be evaluated or
// a dependency in another namespace the server forbids, which no amount of
// waiting resolves.
func (c Checker) Check(ctx context.Context, kind string, obj Dependent) error {
	deps := Refs(kind, obj.GetNamespace(), obj.GetDependsOn())
	if c.NoCrossNamespaceRefs {
		// First: a refused dependency is neither read nor named in a cycle.
		for i, dep := range deps {
			if dep.Namespace != obj.GetNamespace() {
				return outcome.Stalled(v1alpha1.DependencyNotReadyReason,
					"spec.dependsOn[%d]: cannot refer to %s/%s/%s: cross-namespace references are not allowed on this server",
					i, dep.Kind, dep.Namespace, dep.Name)
			}
		}
	}
	if cycle := c.cycle(kind, obj); cycle != nil {
		return outcome.Stalled(v1alpha1.DependencyNotReadyReason, "dependency cycle: %s", strings.Join(cycle, " -> "))
	}
	for i, dep := range deps {
		other, err := c.Get(dep.Kind, dep.Namespace, dep.Name)
		if apierrors.IsNotFound(err) {
			return outcome.Waiting(v1alpha1.DependencyNotReadyReason, "dependency '%s' not found", dep)
		}
		if err != nil {
			return err
		}
		ready, err := isReady(ctx, kind, obj, dep.Kind, other, dep.ReadyExpr)
		if err != nil {
			return outcome.Stalled(v1alpha1.DependencyNotReadyReason, "spec.dependsOn[%d].readyExpr: %v", i, err)
		}
		if !ready {
			return outcome.Waiting(v1alpha1.DependencyNotReadyReason, "dependency '%s' is not ready", dep)
		}
	}
	return nil
}

// isReady decides whether dep is ready for obj: by readyExpr, a CEL
// expression over `self` (obj) and `dep`, when given, else by dep's Ready
// condition at its latest generation.
func isReady(ctx context.Context, kind string, obj controller.Reconciled, depKind string, dep controller.Reconciled, readyExpr string) (bool, error) {
	if readyExpr == "" {
		return conditions.IsReady(dep), nil
	}
	expr, err := cel.NewExpression(readyExpr, cel.WithCompile(), cel.WithOutputType(celgo.BoolType),
		cel.WithStructVariables("self", "dep"))
	if err != nil {
		return false, err
	}
	self, err := asMap(kind, obj)
	if err != nil {
		return false, err
	}
	other, err := asMap(depKind, dep)
	if err != nil {
		return false, err
	}
	return expr.EvaluateBoolean(ctx, map[string]any{"self": self, "dep": other})
}

// asMap is obj as CEL sees it: its JSON form, apiVersion and kind included
// (objects from an informer's cache have none).
func asMap(kind string, obj runtime.Object) (map[string]any, error) {
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		return nil, err
	}
	m["apiVersion"], m["kind"] = v1alpha1.SchemeGroupVersion.String(), kind
	return m, nil
}

// cycle returns a path of dependsOn links from obj back to obj, or nil when
// there is none. Objects not in the cache, and kinds without dependsOn, end
// a path.
func (c Checker) cycle(kind string, obj Dependent) []string {
	start := Key(kind, obj.GetNamespace(), obj.GetName())
	visited := map[string]bool{}
	var walk func(kind string, o Dependent, path []string) []string
	walk = func(kind string, o Dependent, path []string) []string {
		for _, dep := range Refs(kind, o.GetNamespace(), o.GetDependsOn()) {
			next := append(path[:len(path):len(path)], dep.String())
			if dep.Key() == start {
				return next
			}
			if visited[dep.Key()] {
				continue
			}
			visited[dep.Key()] = true
			other, err := c.Get(dep.Kind, dep.Namespace, dep.Name)
			if err != nil {
				continue
			}
			if d, ok := other.(Dependent); ok {
				if cycle := walk(dep.Kind, d, next); cycle != nil {
					return cycle
				}
			}
		}
		return nil
	}
	return walk(kind, obj, []string{obj.GetNamespace() + "/" + obj.GetName()})
}

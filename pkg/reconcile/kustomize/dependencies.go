package kustomize

import (
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// checkDependencies fails while a Kustomization of spec.dependsOn is not
// Ready at its latest generation, and stalls on a dependency cycle, which
// no amount of waiting resolves.
func (r *Reconciler) checkDependencies(obj *v1alpha1.Kustomization) error {
	if cycle := r.dependencyCycle(obj); cycle != nil {
		return stalled(v1alpha1.DependencyNotReadyReason, "dependency cycle: %s", strings.Join(cycle, " -> "))
	}
	for _, dep := range dependencies(obj) {
		other, err := r.Kustomizations.Kustomizations(dep.Namespace).Get(dep.Name)
		if apierrors.IsNotFound(err) {
			return waiting(v1alpha1.DependencyNotReadyReason, "dependency '%s' not found", dep)
		}
		if err != nil {
			return err
		}
		if !isReady(other) {
			return waiting(v1alpha1.DependencyNotReadyReason, "dependency '%s' is not ready", dep)
		}
	}
	return nil
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

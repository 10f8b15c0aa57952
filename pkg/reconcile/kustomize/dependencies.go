package kustomize

import (
	"context"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// checkDependencies holds obj back until what spec.dependsOn names is ready.
func (r *Reconciler) checkDependencies(ctx context.Context, obj *v1alpha1.Kustomization) error {
	return r.Dependencies.Check(ctx, kind, obj)
}

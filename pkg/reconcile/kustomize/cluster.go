package kustomize

import (
	"context"

	"github.com/fluxcd/pkg/ssa"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/target"
)

// managerFor returns a resource manager for obj's target cluster.
func (r *Reconciler) managerFor(ctx context.Context, obj *v1alpha1.Kustomization) (*ssa.ResourceManager, error) {
	return r.Targets.Manager(ctx, target.Spec{
		Namespace:          obj.Namespace,
		KubeConfig:         obj.Spec.KubeConfig,
		ServiceAccountName: obj.Spec.ServiceAccountName,
		HealthCheckExprs:   obj.Spec.HealthCheckExprs,
	}, ssa.Owner{Field: fieldManager, Group: ownerGroup})
}

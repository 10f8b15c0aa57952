package kustomize

import (
	"context"

	"github.com/fluxcd/pkg/ssa"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/target"
)

// actAs settles whom the Kustomization acts as (its ServiceAccount, else
// its owner) and so where and how it applies.
func (r *Reconciler) actAs(ctx context.Context, obj *v1alpha1.Kustomization, run *run) error {
	var err error
	run.as, err = r.Identities.Resolve(ctx, obj.Namespace, obj.Spec.ServiceAccountName, obj.Status.Owner)
	run.target = target.Spec{
		Namespace:        obj.Namespace,
		KubeConfig:       obj.Spec.KubeConfig,
		As:               run.as,
		HealthCheckExprs: obj.Spec.HealthCheckExprs,
	}
	return err
}

// managerFor returns a resource manager for obj's target cluster, acting
// as obj does.
func (r *Reconciler) managerFor(ctx context.Context, obj *v1alpha1.Kustomization) (*ssa.ResourceManager, error) {
	var run run
	if err := r.actAs(ctx, obj, &run); err != nil {
		return nil, err
	}
	return r.manager(ctx, run.target)
}

func (r *Reconciler) manager(ctx context.Context, spec target.Spec) (*ssa.ResourceManager, error) {
	return r.Targets.Manager(ctx, spec, ssa.Owner{Field: fieldManager, Group: ownerGroup})
}

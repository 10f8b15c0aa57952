package kustomize

import (
	"context"

	"github.com/fluxcd/cli-utils/pkg/object"
	"github.com/fluxcd/pkg/ssa"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/health"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// checkHealth waits, up to spec.timeout, until every applied object
// (spec.wait) or every object of spec.healthChecks is ready.
func checkHealth(ctx context.Context, manager *ssa.ResourceManager, obj *v1alpha1.Kustomization, applied *ssa.ChangeSet) error {
	var set object.ObjMetadataSet
	if obj.Spec.Wait {
		set = applied.ToObjMetadataSet()
	} else {
		set = health.Objects(obj.Spec.HealthChecks, obj.Namespace)
	}
	if err := health.Wait(ctx, manager, set, timeoutOf(obj)); err != nil {
		return outcome.Failed(v1alpha1.HealthCheckFailedReason, "health check failed: %v", err).On(v1alpha1.HealthyCondition)
	}
	return nil
}

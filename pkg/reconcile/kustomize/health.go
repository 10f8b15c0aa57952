package kustomize

import (
	"context"
	"time"

	"github.com/fluxcd/cli-utils/pkg/kstatus/polling/clusterreader"
	"github.com/fluxcd/cli-utils/pkg/kstatus/polling/engine"
	"github.com/fluxcd/cli-utils/pkg/object"
	kustomizeapi "github.com/fluxcd/pkg/apis/kustomize"
	"github.com/fluxcd/pkg/runtime/cel"
	"github.com/fluxcd/pkg/runtime/statusreaders"
	"github.com/fluxcd/pkg/ssa"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// healthPollInterval is how often objects are polled while waiting for them.
const healthPollInterval = 2 * time.Second

// checkHealth waits, up to spec.timeout, until kstatus reports Current for
// every applied object (spec.wait) or every object of spec.healthChecks. A
// Failed object ends the wait early. The error names each object that is
// not ready and its status.
func checkHealth(ctx context.Context, manager *ssa.ResourceManager, obj *v1alpha1.Kustomization, applied *ssa.ChangeSet) error {
	var set object.ObjMetadataSet
	if obj.Spec.Wait {
		set = applied.ToObjMetadataSet()
	} else {
		set = healthCheckSet(obj)
	}
	if len(set) == 0 {
		return nil
	}
	err := manager.WaitForSetWithContext(ctx, set, ssa.WaitOptions{
		Interval: healthPollInterval,
		Timeout:  timeoutOf(obj),
		FailFast: true,
	})
	if err != nil {
		return outcome.Failed(v1alpha1.HealthCheckFailedReason, "health check failed: %v", err).On(healthyCondition)
	}
	return nil
}

// healthCheckSet returns the objects of spec.healthChecks.
func healthCheckSet(obj *v1alpha1.Kustomization) object.ObjMetadataSet {
	var set object.ObjMetadataSet
	for _, ref := range obj.Spec.HealthChecks {
		gv, _ := schema.ParseGroupVersion(ref.APIVersion)
		ns := ref.Namespace
		if ns == "" {
			ns = obj.Namespace
		}
		set = append(set, object.ObjMetadata{
			GroupKind: schema.GroupKind{Group: gv.Group, Kind: ref.Kind},
			Namespace: ns,
			Name:      ref.Name,
		})
	}
	return set
}

// directReadLimit is the most objects a health check reads one GET each;
// larger sets are read with one LIST per kind and namespace. A LIST reads
// every object of that kind in the namespace, which for a few objects in a
// crowded namespace costs far more than their GETs.
const directReadLimit = 20

// clusterReader reads the objects a health check polls, as the API server
// answers most cheaply.
func clusterReader(r client.Reader, mapper meta.RESTMapper, ids object.ObjMetadataSet) (engine.ClusterReader, error) {
	if len(ids) <= directReadLimit {
		return clusterreader.NewDirectClusterReader(r, mapper, ids)
	}
	return clusterreader.NewCachingClusterReader(r, mapper, ids)
}

// statusReaders are the kstatus readers besides the built-in ones: Jobs
// (Current once complete), and spec.healthCheckExprs for the kinds they
// name.
func statusReaders(obj *v1alpha1.Kustomization, mapper meta.RESTMapper) ([]engine.StatusReader, error) {
	readers := []engine.StatusReader{statusreaders.NewCustomJobStatusReader(mapper)}
	if len(obj.Spec.HealthCheckExprs) == 0 {
		return readers, nil
	}
	checks := make([]kustomizeapi.CustomHealthCheck, 0, len(obj.Spec.HealthCheckExprs))
	for _, c := range obj.Spec.HealthCheckExprs {
		checks = append(checks, kustomizeapi.CustomHealthCheck{
			APIVersion: c.APIVersion,
			Kind:       c.Kind,
			HealthCheckExpressions: kustomizeapi.HealthCheckExpressions{
				Current: c.Current, InProgress: c.InProgress, Failed: c.Failed,
			},
		})
	}
	reader, err := cel.NewStatusReader(checks)
	if err != nil {
		return nil, outcome.Stalled(v1alpha1.HealthCheckFailedReason, "spec.healthCheckExprs: %v", err).On(healthyCondition)
	}
	return append(readers, reader(mapper)), nil
}

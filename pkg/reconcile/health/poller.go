package health

import (
	"fmt"

	"github.com/fluxcd/cli-utils/pkg/kstatus/polling"
	"github.com/fluxcd/cli-utils/pkg/kstatus/polling/clusterreader"
	"github.com/fluxcd/cli-utils/pkg/kstatus/polling/engine"
	"github.com/fluxcd/cli-utils/pkg/object"
	kustomizeapi "github.com/fluxcd/pkg/apis/kustomize"
	"github.com/fluxcd/pkg/runtime/cel"
	"github.com/fluxcd/pkg/runtime/statusreaders"
	"k8s.io/apimachinery/pkg/api/meta"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// NewPoller polls the status of objects through c: by kstatus's built-in
// rules, Jobs as Current once complete, and the kinds exprs name by their
// CEL expressions. An expression that does not compile is an error naming
// it.
func NewPoller(c client.Client, mapper meta.RESTMapper, exprs []v1alpha1.CustomHealthCheck) (*polling.StatusPoller, error) {
	readers := []engine.StatusReader{statusreaders.NewCustomJobStatusReader(mapper)}
	if len(exprs) > 0 {
		checks := make([]kustomizeapi.CustomHealthCheck, 0, len(exprs))
		for _, c := range exprs {
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
			return nil, fmt.Errorf("spec.healthCheckExprs: %w", err)
		}
		readers = append(readers, reader(mapper))
	}
	return polling.NewStatusPoller(c, mapper, polling.Options{
		CustomStatusReaders:  readers,
		ClusterReaderFactory: engine.ClusterReaderFactoryFunc(clusterReader),
	}), nil
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

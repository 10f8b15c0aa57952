package target

import (
	"context"

	"github.com/fluxcd/pkg/ssa"
	"k8s.io/apimachinery/pkg/api/meta"
	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/apiutil"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/health"
	"gitops.io/apiserver/pkg/reconcile/identity"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// Requests to a target cluster may come this fast, in bursts of burst.
const (
	qps   = 50
	burst = 100
)

// concurrency is how many objects of one apply are dry-run and applied at
// a time.
const concurrency = 4

// Clusters opens target clusters. One value serves every kind, so that the
// server's own cluster's kinds are discovered once.
type Clusters struct {
	// Local is the server's own cluster; nil when the server has none.
	Local *rest.Config
	// Secrets reads kubeConfig Secrets; nil without a cluster.
	Secrets corev1client.SecretsGetter

	local localMapper
}

// Spec is what of an object says where and as whom it applies.
type Spec struct {
	Namespace  string
	KubeConfig *v1alpha1.KubeConfigReference
	// As is whom the object acts as. On the cluster of a kubeConfig, only a
	// ServiceAccount is impersonated: the owner is a user of this cluster.
	As               identity.Identity
	HealthCheckExprs []v1alpha1.CustomHealthCheck
}

// impersonation is how spec acts on its cluster.
func (spec Spec) impersonation(remote bool) rest.ImpersonationConfig {
	if remote && !spec.As.ServiceAccount {
		return rest.ImpersonationConfig{}
	}
	return spec.As.Impersonation()
}

// Manager returns a resource manager for spec's target cluster, applying
// with field manager fieldOwner as spec.As, so an object can do only what
// its ServiceAccount or owner may.
func (c *Clusters) Manager(ctx context.Context, spec Spec, fieldOwner ssa.Owner) (*ssa.ResourceManager, error) {
	cfg, remote, err := c.config(ctx, spec)
	if err != nil {
		return nil, err
	}
	cfg.QPS, cfg.Burst = qps, burst
	httpClient, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return nil, err
	}
	var mapper meta.RESTMapper
	if remote {
		mapper, err = apiutil.NewDynamicRESTMapper(cfg, httpClient)
	} else {
		mapper, err = c.local.get(c.Local)
	}
	if err != nil {
		return nil, outcome.Failed(v1alpha1.ReconciliationFailedReason, "reading the target cluster's API resources: %v", err)
	}
	// The mapper discovers as the server; everything else is done as spec.As.
	if cfg.Impersonate = spec.impersonation(remote); cfg.Impersonate.UserName != "" {
		if httpClient, err = rest.HTTPClientFor(cfg); err != nil {
			return nil, err
		}
	}
	kube, err := client.New(cfg, client.Options{HTTPClient: httpClient, Mapper: mapper})
	if err != nil {
		return nil, err
	}
	poller, err := health.NewPoller(kube, mapper, spec.HealthCheckExprs)
	if err != nil {
		return nil, outcome.Stalled(v1alpha1.HealthCheckFailedReason, "%v", err).On(v1alpha1.HealthyCondition)
	}
	manager := ssa.NewResourceManager(kube, poller, fieldOwner)
	manager.SetConcurrency(concurrency)
	return manager, nil
}

// Reads returns the client that reads the Secrets and ConfigMaps spec names
// (postBuild.substituteFrom, decryption keys, valuesFrom): on the server's
// own cluster as spec.As, so an object reads only what its identity may;
// with a kubeConfig they are on the server's cluster, read as the server.
func (c *Clusters) Reads(spec Spec) (corev1client.CoreV1Interface, error) {
	if c.Local == nil {
		return nil, nil
	}
	as := spec.As
	if spec.KubeConfig != nil {
		as = identity.Identity{Server: true}
	}
	return c.coreAs(as)
}

// coreAs is a client of the server's own cluster's core API acting as as.
func (c *Clusters) coreAs(as identity.Identity) (corev1client.CoreV1Interface, error) {
	cfg := rest.CopyConfig(c.Local)
	cfg.QPS, cfg.Burst = qps, burst
	cfg.Impersonate = as.Impersonation()
	return corev1client.NewForConfig(cfg)
}

// secretsAs reads Secrets of the server's cluster as as; Secrets (nil
// without a cluster) when as is the server.
func (c *Clusters) secretsAs(as identity.Identity) (corev1client.SecretsGetter, error) {
	if c.Local == nil || as.Server {
		return c.Secrets, nil
	}
	return c.coreAs(as)
}

// RESTConfig returns the client config of spec's target cluster, acting as
// spec.As, for clients that build their own (Helm's actions).
func (c *Clusters) RESTConfig(ctx context.Context, spec Spec) (*rest.Config, error) {
	cfg, remote, err := c.config(ctx, spec)
	if err != nil {
		return nil, err
	}
	cfg.QPS, cfg.Burst = qps, burst
	cfg.Impersonate = spec.impersonation(remote)
	return cfg, nil
}

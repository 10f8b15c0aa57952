package kustomize

import (
	"context"
	"errors"
	"sync"

	"github.com/fluxcd/cli-utils/pkg/kstatus/polling"
	"github.com/fluxcd/cli-utils/pkg/kstatus/polling/engine"
	"github.com/fluxcd/pkg/ssa"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/apiutil"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/pkg/reconcile/secretref"
)

// Requests to a target cluster may come this fast, in bursts of applyBurst.
const (
	applyQPS   = 50
	applyBurst = 100
)

// applyConcurrency is how many objects of one Kustomization are dry-run and
// applied at a time.
const applyConcurrency = 4

// clusterMapper maps kinds to resources on the server's own cluster; it
// learns new kinds (from CRDs just applied) when they are first asked for.
type clusterMapper struct {
	once   sync.Once
	mapper meta.RESTMapper
	err    error
}

// managerFor returns a resource manager for obj's target cluster: the
// server's own, or the one in spec.kubeConfig's Secret; as the
// ServiceAccount of spec.serviceAccountName when that is set, so a tenant's
// Kustomization can do only what its ServiceAccount may.
func (r *Reconciler) managerFor(ctx context.Context, obj *v1alpha1.Kustomization) (*ssa.ResourceManager, error) {
	cfg, remote, err := r.clusterConfig(ctx, obj)
	if err != nil {
		return nil, err
	}
	cfg.QPS, cfg.Burst = applyQPS, applyBurst
	httpClient, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return nil, err
	}
	var mapper meta.RESTMapper
	if remote {
		mapper, err = apiutil.NewDynamicRESTMapper(cfg, httpClient)
	} else {
		mapper, err = r.localMapper()
	}
	if err != nil {
		return nil, outcome.Failed(v1alpha1.ReconciliationFailedReason, "reading the target cluster's API resources: %v", err)
	}
	if name := obj.Spec.ServiceAccountName; name != "" {
		cfg.Impersonate = rest.ImpersonationConfig{UserName: "system:serviceaccount:" + obj.Namespace + ":" + name}
		if httpClient, err = rest.HTTPClientFor(cfg); err != nil {
			return nil, err
		}
	}
	c, err := client.New(cfg, client.Options{HTTPClient: httpClient, Mapper: mapper})
	if err != nil {
		return nil, err
	}
	readers, err := statusReaders(obj, mapper)
	if err != nil {
		return nil, err
	}
	poller := polling.NewStatusPoller(c, mapper, polling.Options{
		CustomStatusReaders:  readers,
		ClusterReaderFactory: engine.ClusterReaderFactoryFunc(clusterReader),
	})
	manager := ssa.NewResourceManager(c, poller, ssa.Owner{Field: fieldManager, Group: ownerGroup})
	manager.SetConcurrency(applyConcurrency)
	return manager, nil
}

func (r *Reconciler) localMapper() (meta.RESTMapper, error) {
	r.mapper.once.Do(func() {
		httpClient, err := rest.HTTPClientFor(r.Cluster)
		if err != nil {
			r.mapper.err = err
			return
		}
		r.mapper.mapper, r.mapper.err = apiutil.NewDynamicRESTMapper(r.Cluster, httpClient)
	})
	return r.mapper.mapper, r.mapper.err
}

// clusterConfig returns the target cluster's client config and whether it
// came from spec.kubeConfig.
func (r *Reconciler) clusterConfig(ctx context.Context, obj *v1alpha1.Kustomization) (*rest.Config, bool, error) {
	kc := obj.Spec.KubeConfig
	if kc == nil || kc.SecretRef == nil {
		if r.Cluster == nil {
			return nil, false, outcome.Stalled(v1alpha1.ReconciliationFailedReason, "the server has no cluster to apply to; set spec.kubeConfig")
		}
		return rest.CopyConfig(r.Cluster), false, nil
	}
	ref := secretref.Ref{Namespace: obj.Namespace, Name: kc.SecretRef.Name, Field: "spec.kubeConfig.secretRef"}
	values, err := secretref.Reader{Secrets: r.Secrets}.Secret(ctx, ref)
	if errors.Is(err, secretref.ErrNotFound) {
		// The Secret is in the Kustomization's namespace, so its name alone
		// names it, as in the messages below.
		return nil, false, outcome.Failed(v1alpha1.ReconciliationFailedReason, "spec.kubeConfig.secretRef: Secret '%s' not found", kc.SecretRef.Name)
	}
	if err != nil {
		return nil, false, outcome.Failed(v1alpha1.ReconciliationFailedReason, "%w", err)
	}
	key := kc.SecretRef.Key
	data, ok := values[key]
	if key == "" {
		if data, ok = values["value"]; !ok {
			data, ok = values["value.yaml"]
		}
		key = "value"
	}
	if !ok {
		return nil, false, outcome.Failed(v1alpha1.ReconciliationFailedReason, "spec.kubeConfig.secretRef: Secret '%s' has no key '%s'", kc.SecretRef.Name, key)
	}
	cfg, err := clientcmd.RESTConfigFromKubeConfig(data)
	if err != nil {
		return nil, false, outcome.Failed(v1alpha1.ReconciliationFailedReason, "spec.kubeConfig.secretRef: Secret '%s' key '%s' is not a kubeconfig: %v",
			kc.SecretRef.Name, key, err)
	}
	if cfg.ExecProvider != nil || cfg.AuthProvider != nil || cfg.CAFile != "" || cfg.CertFile != "" ||
		cfg.KeyFile != "" || cfg.BearerTokenFile != "" {
		// They would run programs or read files on the server's machine.
		return nil, false, outcome.Failed(v1alpha1.ReconciliationFailedReason, "spec.kubeConfig.secretRef: Secret '%s' key '%s': "+
			"exec and auth plugins and file paths are not allowed; embed the credentials", kc.SecretRef.Name, key)
	}
	return cfg, true, nil
}

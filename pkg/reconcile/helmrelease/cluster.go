package helmrelease

import (
	"context"

	"github.com/go-logr/logr"
	"helm.sh/helm/v4/pkg/action"
	"k8s.io/client-go/rest"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/pkg/reconcile/target"
)

// helmDriver stores releases in Secrets, as the helm CLI does by default,
// so `helm list` shows them.
const helmDriver = "secret"

// releaseNamespace is where the chart's objects go: spec.targetNamespace,
// else the HelmRelease's.
func releaseNamespace(obj *v1alpha1.HelmRelease) string {
	if obj.Spec.TargetNamespace != "" {
		return obj.Spec.TargetNamespace
	}
	return obj.Namespace
}

// storageNamespace is where Helm keeps the release's Secrets:
// spec.storageNamespace, else the HelmRelease's namespace.
func storageNamespace(obj *v1alpha1.HelmRelease) string {
	if obj.Spec.StorageNamespace != "" {
		return obj.Spec.StorageNamespace
	}
	return obj.Namespace
}

// actAs settles whom the HelmRelease acts as (its ServiceAccount, else its
// owner) and so where and how it installs.
func (r *Reconciler) actAs(ctx context.Context, obj *v1alpha1.HelmRelease, run *run) error {
	var err error
	run.as, err = r.Identities.Resolve(ctx, obj.Namespace, obj.Spec.ServiceAccountName, obj.Status.Owner)
	run.target = target.Spec{Namespace: obj.Namespace, KubeConfig: obj.Spec.KubeConfig, As: run.as,
		HealthCheckExprs: obj.Spec.HealthCheckExprs}
	return err
}

// helmFor makes Helm's action configuration for obj's release: its target
// cluster as obj acts, releases in storageNamespace. One per run, so that
// no state of one release's actions leaks into another's. With it comes
// the run's resource manager of the target cluster, which Helm's waits
// share.
func (r *Reconciler) helmFor(ctx context.Context, obj *v1alpha1.HelmRelease) (*action.Configuration, *targetManager, error) {
	return r.helmIn(ctx, obj, storageNamespace(obj), releaseNamespace(obj))
}

// helmIn is helmFor for a release stored in storage with its objects in
// namespace, such as the one obj named before.
func (r *Reconciler) helmIn(ctx context.Context, obj *v1alpha1.HelmRelease, storage, namespace string) (*action.Configuration, *targetManager, error) {
	var run run
	if err := r.actAs(ctx, obj, &run); err != nil {
		return nil, nil, err
	}
	cfg, err := r.Targets.RESTConfig(ctx, run.target)
	if err != nil {
		return nil, nil, err
	}
	getter, err := r.getterFor(obj, cfg, namespace)
	if err != nil {
		return nil, nil, err
	}
	helm := action.NewConfiguration(action.ConfigurationSetLogger(logr.ToSlogHandler(klog.FromContext(ctx))))
	if err := helm.Init(getter, storage, helmDriver); err != nil {
		return nil, nil, outcome.Failed(v1alpha1.ReconciliationFailedReason, "initializing Helm: %v", err)
	}
	validateOnServer(helm)
	manager := r.managerFor(run.target)
	pollWith(ctx, helm, manager)
	return helm, manager, nil
}

// getterFor is what Helm makes its clients of for obj's cluster (cfg),
// putting objects that name no namespace in namespace.
func (r *Reconciler) getterFor(obj *v1alpha1.HelmRelease, cfg *rest.Config, namespace string) (*clientGetter, error) {
	getter := &clientGetter{cfg: cfg, namespace: namespace, fresh: !persistentClient(obj)}
	if getter.fresh {
		return getter, nil
	}
	var err error
	if getter.discovered, err = r.discoveries.of(cfg, obj.Spec.KubeConfig == nil); err != nil {
		return nil, outcome.Failed(v1alpha1.ReconciliationFailedReason, "connecting to the target cluster: %v", err)
	}
	return getter, nil
}

// persistentClient is spec.persistentClient, true unless set: Helm's
// actions of a run share one client of the target cluster (its discovery
// and REST mapping). False, each client Helm makes discovers the cluster
// anew.
func persistentClient(obj *v1alpha1.HelmRelease) bool {
	return obj.Spec.PersistentClient == nil || *obj.Spec.PersistentClient
}

// connect opens the release's cluster and storage.
func (r *Reconciler) connect(ctx context.Context, obj *v1alpha1.HelmRelease, run *run) error {
	var err error
	run.helm, run.manager, err = r.helmFor(ctx, obj)
	obj.Status.StorageNamespace = storageNamespace(obj)
	return err
}

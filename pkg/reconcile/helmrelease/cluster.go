package helmrelease

import (
	"context"

	"github.com/go-logr/logr"
	"helm.sh/helm/v4/pkg/action"
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
	found, err := r.discoveries.of(cfg, obj.Spec.KubeConfig == nil)
	if err != nil {
		return nil, nil, outcome.Failed(v1alpha1.ReconciliationFailedReason, "connecting to the target cluster: %v", err)
	}
	getter := &clientGetter{cfg: cfg, namespace: namespace, discovered: found}
	helm := action.NewConfiguration(action.ConfigurationSetLogger(logr.ToSlogHandler(klog.FromContext(ctx))))
	if err := helm.Init(getter, storage, helmDriver); err != nil {
		return nil, nil, outcome.Failed(v1alpha1.ReconciliationFailedReason, "initializing Helm: %v", err)
	}
	validateOnServer(helm)
	manager := r.managerFor(run.target)
	pollWith(ctx, helm, manager)
	return helm, manager, nil
}

// connect opens the release's cluster and storage.
func (r *Reconciler) connect(ctx context.Context, obj *v1alpha1.HelmRelease, run *run) error {
	var err error
	run.helm, run.manager, err = r.helmFor(ctx, obj)
	obj.Status.StorageNamespace = storageNamespace(obj)
	return err
}

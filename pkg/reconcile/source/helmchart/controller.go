package helmchart

import (
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/generated/informers/externalversions"
	"gitops.io/apiserver/pkg/reconcile/controller"
	"gitops.io/apiserver/pkg/reconcile/kindinformers"
	"gitops.io/apiserver/pkg/reconcile/source"
	"gitops.io/apiserver/pkg/reconcile/sourceref"
)

// defaultInterval applies to an object without spec.interval.
const defaultInterval = time.Minute

// NewController feeds HelmCharts to r, and re-queues them when their
// source gets a new artifact or spec. It sets r.Sources to the informers'
// listers; start the informers' factory after it.
func NewController(informers externalversions.SharedInformerFactory, r *Reconciler) (*controller.Controller[*v1alpha1.HelmChart], error) {
	runtime := r.Kind()
	helmCharts := informers.Gitops().V1alpha1().HelmCharts()
	charts := helmCharts.Lister()
	cleanup := source.ArtifactCleanup{Kind: kind, Storage: r.Storage, Exists: func(namespace, name string) bool {
		_, err := charts.HelmCharts(namespace).Get(name)
		return !apierrors.IsNotFound(err)
	}}
	listers, err := kindinformers.Listers(informers, v1alpha1.HelmChartSourceRef.Kinds...)
	if err != nil {
		return nil, err
	}
	r.Sources = sourceref.Sources{Listers: listers, API: r.API}
	c, err := controller.New(controller.Config[*v1alpha1.HelmChart]{
		Kind:     kind,
		Informer: helmCharts.Informer(),
		Get: func(namespace, name string) (*v1alpha1.HelmChart, error) {
			return charts.HelmCharts(namespace).Get(name)
		},
		Reconciler: runtime,
		Interval:   runtime.RetryInterval,
		Deleted:    cleanup.Deleted,
		Started:    cleanup.Orphans,
	})
	if err != nil {
		return nil, err
	}
	if err := sourceref.Wake(informers, helmCharts.Informer(), v1alpha1.HelmChartSourceRef, sourceRefOf, c.Enqueue); err != nil {
		return nil, err
	}
	return c, nil
}

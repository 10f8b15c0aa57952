package helmrelease

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/generated/informers/externalversions"
	"gitops.io/apiserver/pkg/reconcile/controller"
	"gitops.io/apiserver/pkg/reconcile/dependency"
	"gitops.io/apiserver/pkg/reconcile/kindinformers"
	"gitops.io/apiserver/pkg/reconcile/sourceref"
)

// NewController feeds HelmReleases to r and wakes them when their chart
// has a new artifact or a dependency becomes Ready. It points r's listers at the informers; start the
// informers' factory after it.
func NewController(informers externalversions.SharedInformerFactory, r *Reconciler) (*controller.Controller[*v1alpha1.HelmRelease], error) {
	helmReleases := informers.Gitops().V1alpha1().HelmReleases()
	r.HelmReleases = helmReleases.Lister()
	getDependency, err := dependency.FromInformers(informers)
	if err != nil {
		return nil, err
	}
	r.Dependencies = dependency.Checker{Get: getDependency, NoCrossNamespaceRefs: r.NoCrossNamespaceRefs}
	listers, err := kindinformers.Listers(informers, v1alpha1.HelmReleaseChartRef.Kinds...)
	if err != nil {
		return nil, err
	}
	r.Sources = sourceref.Sources{Listers: listers, API: r.API}
	runtime := r.Kind()
	var c *controller.Controller[*v1alpha1.HelmRelease]
	// A dependency becoming Ready or not wakes those that depend on it.
	if _, err := dependency.WakeDependants[*v1alpha1.HelmRelease](informers, kind, helmReleases.Informer(),
		func(obj any) { c.Enqueue(obj) }); err != nil {
		return nil, err
	}
	c, err = controller.New(controller.Config[*v1alpha1.HelmRelease]{
		Kind:     kind,
		Informer: helmReleases.Informer(),
		Get: func(namespace, name string) (*v1alpha1.HelmRelease, error) {
			return r.HelmReleases.HelmReleases(namespace).Get(name)
		},
		Reconciler: runtime,
		Interval:   runtime.RetryInterval,
	})
	if err != nil {
		return nil, err
	}
	// A chart (spec.chartRef's, or the HelmChart of spec.chart) wakes its
	// HelmReleases with a new artifact.
	if err := sourceref.Wake(informers, helmReleases.Informer(), v1alpha1.HelmReleaseChartRef, chartSourceOf, c.Enqueue); err != nil {
		return nil, err
	}
	return c, nil
}

// chartSourceOf is the source of obj's chart, as the index of referrers
// keys it.
func chartSourceOf(obj *v1alpha1.HelmRelease) sourceref.Ref {
	if obj.Spec.Chart != nil && obj.Spec.ChartRef == nil {
		namespace, name := helmChartName(obj)
		return sourceref.Ref{Kind: v1alpha1.HelmChartKind, Namespace: namespace, Name: name}
	}
	return chartRefOf(obj)
}

package helmchart

import (
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/tools/cache"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	gitopsinformers "gitops.io/apiserver/pkg/generated/informers/externalversions/gitops/v1alpha1"
	listers "gitops.io/apiserver/pkg/generated/listers/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/controller"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// defaultInterval applies to an object without spec.interval.
const defaultInterval = time.Minute

// NewController feeds HelmCharts to r, and re-queues them when their
// source gets a new artifact or spec. It sets r.Sources to the informers'
// listers; start the informers' factory before running it.
func NewController(informers gitopsinformers.Interface, r *Reconciler) (*controller.Controller[*v1alpha1.HelmChart], error) {
	runtime := r.Kind()
	charts := informers.HelmCharts().Lister()
	cleanup := source.ArtifactCleanup{Kind: kind, Storage: r.Storage, Exists: func(namespace, name string) bool {
		_, err := charts.HelmCharts(namespace).Get(name)
		return !apierrors.IsNotFound(err)
	}}
	r.Sources = Sources{
		HelmRepositories: informers.HelmRepositories().Lister(),
		GitRepositories:  informers.GitRepositories().Lister(),
		Buckets:          informers.Buckets().Lister(),
	}
	c, err := controller.New(controller.Config[*v1alpha1.HelmChart]{
		Kind:     kind,
		Informer: informers.HelmCharts().Informer(),
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
	enqueue := func(namespace, kind, name string) { enqueueDependents(c, charts, namespace, kind, name) }
	for _, err := range []error{
		watchSource(informers.HelmRepositories().Informer(), v1alpha1.HelmRepositoryKind,
			func(o *v1alpha1.HelmRepository) *v1alpha1.Artifact { return o.Status.Artifact }, enqueue),
		watchSource(informers.GitRepositories().Informer(), v1alpha1.GitRepositoryKind,
			func(o *v1alpha1.GitRepository) *v1alpha1.Artifact { return o.Status.Artifact }, enqueue),
		watchSource(informers.Buckets().Informer(), v1alpha1.BucketKind,
			func(o *v1alpha1.Bucket) *v1alpha1.Artifact { return o.Status.Artifact }, enqueue),
	} {
		if err != nil {
			return nil, err
		}
	}
	return c, nil
}

// watchSource calls enqueue for a source that appears, or whose artifact
// or spec changes: the charts made from it may change too.
func watchSource[T controller.Object](informer cache.SharedIndexInformer, kind string, artifactOf func(T) *v1alpha1.Artifact,
	enqueue func(namespace, kind, name string)) error {
	_, err := informer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: func(obj any) {
			if o, ok := obj.(T); ok {
				enqueue(o.GetNamespace(), kind, o.GetName())
			}
		},
		UpdateFunc: func(oldObj, newObj any) {
			before, ok1 := oldObj.(T)
			after, ok2 := newObj.(T)
			if ok1 && ok2 && (digestOf(artifactOf(before)) != digestOf(artifactOf(after)) ||
				before.GetGeneration() != after.GetGeneration()) {
				enqueue(after.GetNamespace(), kind, after.GetName())
			}
		},
	})
	return err
}

func digestOf(a *v1alpha1.Artifact) string {
	if a == nil {
		return ""
	}
	return a.Digest
}

// enqueueDependents enqueues the HelmCharts of namespace made from the
// source kind/name.
func enqueueDependents(c *controller.Controller[*v1alpha1.HelmChart], charts listers.HelmChartLister, namespace, kind, name string) {
	all, err := charts.HelmCharts(namespace).List(labels.Everything())
	if err != nil {
		return
	}
	for _, chart := range all {
		if chart.Spec.SourceRef.Kind == kind && chart.Spec.SourceRef.Name == name {
			c.Enqueue(chart)
		}
	}
}

package dependency

import (
	"k8s.io/client-go/tools/cache"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/generated/informers/externalversions"
	"gitops.io/apiserver/pkg/reconcile/conditions"
	"gitops.io/apiserver/pkg/reconcile/controller"
	"gitops.io/apiserver/pkg/reconcile/kindinformers"
)

// byDependency is the index of a dependant kind's informer by the keys of
// its dependencies.
const byDependency = "dependency"

// WakeDependants indexes the objects of dependants (of kind) by their
// dependencies and enqueues them when one of any kind of DependencyKinds
// becomes Ready or stops being Ready. The returned wake enqueues those that
// depend on a key, for a kind that wakes them on more (a Kustomization's
// new revision).
func WakeDependants[T Dependent](informers externalversions.SharedInformerFactory, kind string,
	dependants cache.SharedIndexInformer, enqueue func(obj any)) (wake func(key string), err error) {
	err = dependants.AddIndexers(cache.Indexers{byDependency: func(obj any) ([]string, error) {
		o, ok := obj.(T)
		if !ok {
			return nil, nil
		}
		return Keys(kind, o.GetNamespace(), o.GetDependsOn()), nil
	}})
	if err != nil {
		return nil, err
	}
	wake = func(key string) {
		objs, _ := dependants.GetIndexer().ByIndex(byDependency, key)
		for _, o := range objs {
			enqueue(o)
		}
	}
	for _, depKind := range v1alpha1.DependencyKinds {
		informer, err := kindinformers.Of(informers, depKind)
		if err != nil {
			return nil, err
		}
		_, err = informer.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
			UpdateFunc: func(oldObj, newObj any) {
				before, ok1 := oldObj.(controller.Reconciled)
				after, ok2 := newObj.(controller.Reconciled)
				if ok1 && ok2 && conditions.IsReady(before) != conditions.IsReady(after) {
					wake(Key(depKind, after.GetNamespace(), after.GetName()))
				}
			},
		})
		if err != nil {
			return nil, err
		}
	}
	return wake, nil
}

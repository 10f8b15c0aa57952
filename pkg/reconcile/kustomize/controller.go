package kustomize

import (
	"k8s.io/client-go/tools/cache"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/generated/informers/externalversions"
	"gitops.io/apiserver/pkg/reconcile/conditions"
	"gitops.io/apiserver/pkg/reconcile/controller"
	"gitops.io/apiserver/pkg/reconcile/dependency"
	"gitops.io/apiserver/pkg/reconcile/kindinformers"
	"gitops.io/apiserver/pkg/reconcile/sourceref"
)

// byDependency is the index of the Kustomization informer by dependency,
// to find the Kustomizations a changed dependency concerns.
const byDependency = "dependency"

// NewController feeds Kustomizations to r and wakes them when their source
// has a new artifact or a dependency becomes Ready. It points r's listers at
// the informers; start the informers' factory after it.
func NewController(informers externalversions.SharedInformerFactory, r *Reconciler) (*controller.Controller[*v1alpha1.Kustomization], error) {
	kustomizations := informers.Gitops().V1alpha1().Kustomizations()
	r.Kustomizations = kustomizations.Lister()
	getDependency, err := dependency.FromInformers(informers)
	if err != nil {
		return nil, err
	}
	r.Dependencies = dependency.Checker{Get: getDependency, NoCrossNamespaceRefs: r.NoCrossNamespaceRefs}
	listers, err := kindinformers.Listers(informers, v1alpha1.KustomizationSourceRef.Kinds...)
	if err != nil {
		return nil, err
	}
	r.Sources = sourceref.Sources{Listers: listers, API: r.API}
	indexer := kustomizations.Informer()
	if err := indexer.AddIndexers(cache.Indexers{byDependency: dependencyIndex}); err != nil {
		return nil, err
	}
	runtime := r.Kind()
	var c *controller.Controller[*v1alpha1.Kustomization]
	wake := func(key string) {
		objs, _ := indexer.GetIndexer().ByIndex(byDependency, key)
		for _, o := range objs {
			c.Enqueue(o)
		}
	}
	c, err = controller.New(controller.Config[*v1alpha1.Kustomization]{
		Kind:     kind,
		Informer: kustomizations.Informer(),
		Get: func(namespace, name string) (*v1alpha1.Kustomization, error) {
			return r.Kustomizations.Kustomizations(namespace).Get(name)
		},
		Reconciler: runtime,
		Interval:   runtime.RetryInterval,
		Updated: func(before, after *v1alpha1.Kustomization) {
			if conditions.IsReady(before) != conditions.IsReady(after) || before.Status.LastAppliedRevision != after.Status.LastAppliedRevision {
				wake(dependency.Key(kind, after.Namespace, after.Name))
			}
		},
	})
	if err != nil {
		return nil, err
	}
	// A source wakes its Kustomizations with a new artifact.
	if err := sourceref.Wake(informers, indexer, v1alpha1.KustomizationSourceRef, sourceRefOf, c.Enqueue); err != nil {
		return nil, err
	}
	// A dependency of another kind wakes those that depend on it when its
	// readiness changes.
	for _, depKind := range v1alpha1.DependencyKinds {
		if depKind == kind {
			continue
		}
		informer, err := kindinformers.Of(informers, depKind)
		if err != nil {
			return nil, err
		}
		_, err = informer.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
			UpdateFunc: func(oldObj, newObj any) {
				before, ok1 := oldObj.(controller.Reconciled)
				after, ok2 := newObj.(controller.Reconciled)
				if ok1 && ok2 && conditions.IsReady(before) != conditions.IsReady(after) {
					wake(dependency.Key(depKind, after.GetNamespace(), after.GetName()))
				}
			},
		})
		if err != nil {
			return nil, err
		}
	}
	return c, nil
}

func dependencyIndex(obj any) ([]string, error) {
	k, ok := obj.(*v1alpha1.Kustomization)
	if !ok {
		return nil, nil
	}
	return dependency.Keys(kind, k.Namespace, k.Spec.DependsOn), nil
}

package kustomize

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/generated/informers/externalversions"
	"gitops.io/apiserver/pkg/reconcile/controller"
	"gitops.io/apiserver/pkg/reconcile/dependency"
	"gitops.io/apiserver/pkg/reconcile/kindinformers"
	"gitops.io/apiserver/pkg/reconcile/sourceref"
)

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
	runtime := r.Kind()
	var c *controller.Controller[*v1alpha1.Kustomization]
	// A dependency becoming Ready or not wakes those that depend on it.
	wake, err := dependency.WakeDependants[*v1alpha1.Kustomization](informers, kind, kustomizations.Informer(),
		func(obj any) { c.Enqueue(obj) })
	if err != nil {
		return nil, err
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
			// So does a new revision: a readyExpr may read it.
			if before.Status.LastAppliedRevision != after.Status.LastAppliedRevision {
				wake(dependency.Key(kind, after.Namespace, after.Name))
			}
		},
	})
	if err != nil {
		return nil, err
	}
	// A source wakes its Kustomizations with a new artifact.
	if err := sourceref.Wake(informers, kustomizations.Informer(), v1alpha1.KustomizationSourceRef, sourceRefOf, c.Enqueue); err != nil {
		return nil, err
	}
	return c, nil
}

package dependency

import (
	"fmt"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/generated/informers/externalversions"
	"gitops.io/apiserver/pkg/reconcile/controller"
	"gitops.io/apiserver/pkg/reconcile/kindinformers"
)

// FromInformers reads the kinds of v1alpha1.DependencyKinds from the
// informers' caches. Their informers are made now, so that the factory
// starts them.
func FromInformers(informers externalversions.SharedInformerFactory) (Getter, error) {
	listers, err := kindinformers.Listers(informers, v1alpha1.DependencyKinds...)
	if err != nil {
		return nil, err
	}
	return func(kind, namespace, name string) (controller.Reconciled, error) {
		lister, ok := listers[kind]
		if !ok {
			return nil, fmt.Errorf("kind %s cannot be a dependency", kind)
		}
		obj, err := lister.ByNamespace(namespace).Get(name)
		if err != nil {
			return nil, err
		}
		reconciled, ok := obj.(controller.Reconciled)
		if !ok {
			return nil, fmt.Errorf("a %s in the cache is a %T", kind, obj)
		}
		return reconciled, nil
	}, nil
}

package dependency

import (
	"fmt"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/tools/cache"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/generated/informers/externalversions"
	"gitops.io/apiserver/pkg/reconcile/controller"
)

// Informers gives the informer of a resource, as the generated factory does.
type Informers interface {
	ForResource(schema.GroupVersionResource) (externalversions.GenericInformer, error)
}

// FromInformers reads the kinds of v1alpha1.DependencyKinds from the
// informers' caches. Their informers are made now, so that the factory
// starts them.
func FromInformers(informers Informers) (Getter, error) {
	listers := map[string]cache.GenericLister{}
	for _, kind := range v1alpha1.DependencyKinds {
		k, _ := v1alpha1.KindNamed(kind)
		informer, err := informers.ForResource(k.GroupVersionResource())
		if err != nil {
			return nil, err
		}
		listers[kind] = informer.Lister()
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

// Package kindinformers gives the informers of gitops.io kinds by kind
// name, through the kind table (v1alpha1.Kinds), for code that is written
// once for several kinds: dependencies, source references.
package kindinformers

import (
	"fmt"

	"k8s.io/client-go/tools/cache"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/generated/informers/externalversions"
)

// Of is the informer of kind, the factory's own (the typed informers of
// the kind share it).
func Of(factory externalversions.SharedInformerFactory, kind string) (externalversions.GenericInformer, error) {
	k, ok := v1alpha1.KindNamed(kind)
	if !ok {
		return nil, fmt.Errorf("no kind %s in %s", kind, v1alpha1.SchemeGroupVersion)
	}
	return factory.ForResource(k.GroupVersionResource())
}

// Listers makes the informers of kinds and returns their listers, by kind.
// Call it before the factory starts, which then starts those informers.
func Listers(factory externalversions.SharedInformerFactory, kinds ...string) (map[string]cache.GenericLister, error) {
	listers := map[string]cache.GenericLister{}
	for _, kind := range kinds {
		informer, err := Of(factory, kind)
		if err != nil {
			return nil, err
		}
		listers[kind] = informer.Lister()
	}
	return listers, nil
}

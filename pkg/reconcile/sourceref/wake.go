package sourceref

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/cache"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/generated/informers/externalversions"
	"gitops.io/apiserver/pkg/reconcile/kindinformers"
)

// source is an object of a kind with an artifact, as its informer holds it.
type source interface {
	metav1.Object
	v1alpha1.ArtifactHolder
}

// Wake calls enqueue with the referrers (objects of the referrers
// informer) whose field names a source that appears or changed (see
// changed). refOf is the reference as the referrer writes it. The
// referrers are found through an index of their informer, by source, so a
// source's change costs a lookup, not a list of every referrer.
func Wake[T metav1.Object](informers externalversions.SharedInformerFactory, referrers cache.SharedIndexInformer,
	field v1alpha1.RefField, refOf func(T) Ref, enqueue func(obj any)) error {
	index := indexName(field)
	if err := referrers.AddIndexers(cache.Indexers{index: indexBySource(refOf)}); err != nil {
		return err
	}
	wake := func(kind string, src source) {
		for _, obj := range Referrers(referrers, field, Ref{Kind: kind, Namespace: src.GetNamespace(), Name: src.GetName()}) {
			enqueue(obj)
		}
	}
	for _, kind := range field.Kinds {
		informer, err := kindinformers.Of(informers, kind)
		if err != nil {
			return err
		}
		_, err = informer.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
			AddFunc: func(obj any) {
				if src, ok := obj.(source); ok {
					wake(kind, src)
				}
			},
			UpdateFunc: func(oldObj, newObj any) {
				before, ok1 := oldObj.(source)
				after, ok2 := newObj.(source)
				if ok1 && ok2 && changed(before, after) {
					wake(kind, after)
				}
			},
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Referrers are the objects of the referrers informer, given to Wake for
// field, whose field names ref.
func Referrers(referrers cache.SharedIndexInformer, field v1alpha1.RefField, ref Ref) []any {
	objs, _ := referrers.GetIndexer().ByIndex(indexName(field), ref.String())
	return objs
}

// indexName names the index of a field's referrers, one per field.
func indexName(field v1alpha1.RefField) string { return "sourceref:" + field.Path }

// indexBySource keys a referrer by the source its field names.
func indexBySource[T metav1.Object](refOf func(T) Ref) cache.IndexFunc {
	return func(obj any) ([]string, error) {
		referrer, ok := obj.(T)
		if !ok {
			return nil, nil
		}
		return []string{refOf(referrer).In(referrer.GetNamespace()).String()}, nil
	}
}

// changed: a new artifact (revision or digest); or, for a source that
// keeps none (an OCI HelmRepository), a new spec, which changes what
// referrers make of it. A new spec of a source with an artifact shows as
// its next artifact, if it changes anything: waking referrers before would
// have them apply the same revision again.
func changed(before, after source) bool {
	if after.GetArtifact() == nil && before.GetArtifact() == nil {
		return before.GetGeneration() != after.GetGeneration()
	}
	return revisionOf(before.GetArtifact()) != revisionOf(after.GetArtifact())
}

func revisionOf(a *v1alpha1.Artifact) string {
	if a == nil {
		return ""
	}
	return a.Revision + "@" + a.Digest
}

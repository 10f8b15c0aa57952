package referrers

import (
	"context"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/metadata"
	"k8s.io/client-go/metadata/metadatainformer"
	"k8s.io/client-go/tools/cache"
)

// Watcher wakes the referrers of Secrets and ConfigMaps that change.
type Watcher struct {
	factory metadatainformer.SharedInformerFactory
	kinds   []referrer
}

// referrer is one kind's informer, indexed by what its objects reference,
// and how to wake one of them.
type referrer struct {
	indexer cache.Indexer
	wake    func(obj any)
}

// New watches the Secrets and ConfigMaps of the cluster client reaches.
func New(client metadata.Interface) *Watcher {
	return &Watcher{factory: metadatainformer.NewSharedInformerFactory(client, 0)}
}

// Register indexes informer's objects (of type T) by refsOf and calls wake
// with each object that references a Secret or ConfigMap when that one is
// created, changed or deleted. Call it before the informer starts.
func Register[T any](w *Watcher, informer cache.SharedIndexInformer, refsOf func(T) []Ref, wake func(obj any)) error {
	if err := informer.AddIndexers(cache.Indexers{indexName: indexFunc(refsOf)}); err != nil {
		return err
	}
	w.kinds = append(w.kinds, referrer{indexer: informer.GetIndexer(), wake: wake})
	return nil
}

// Start watches until ctx ends.
func (w *Watcher) Start(ctx context.Context) error {
	for kind, resource := range map[string]string{Secret: "secrets", ConfigMap: "configmaps"} {
		informer := w.factory.ForResource(corev1.SchemeGroupVersion.WithResource(resource)).Informer()
		// The cache keeps names and versions only: a Secret's annotations
		// may hold its data (kubectl's last-applied-configuration).
		if err := informer.SetTransform(namesOnly); err != nil {
			return err
		}
		_, err := informer.AddEventHandler(cache.ResourceEventHandlerDetailedFuncs{
			// Those there at the start are no news: every object is
			// reconciled at the start anyway.
			AddFunc: func(obj any, initial bool) {
				if !initial {
					w.changed(kind, obj)
				}
			},
			UpdateFunc: func(before, after any) {
				if versionOf(before) != versionOf(after) {
					w.changed(kind, after)
				}
			},
			DeleteFunc: func(obj any) { w.changed(kind, obj) },
		})
		if err != nil {
			return err
		}
	}
	w.factory.Start(ctx.Done())
	go func() {
		<-ctx.Done()
		w.factory.Shutdown()
	}()
	return nil
}

// WaitForSync waits until both caches hold the cluster's objects, so that
// their initial adds are behind; it returns false when ctx ends first.
func (w *Watcher) WaitForSync(ctx context.Context) bool {
	for _, synced := range w.factory.WaitForCacheSync(ctx.Done()) {
		if !synced {
			return false
		}
	}
	return true
}

// changed wakes the referrers of the Secret or ConfigMap obj.
func (w *Watcher) changed(kind string, obj any) {
	name, err := cache.DeletionHandlingObjectToName(obj)
	if err != nil {
		return
	}
	key := Ref{Kind: kind, Namespace: name.Namespace, Name: name.Name}.key()
	for _, k := range w.kinds {
		objs, _ := k.indexer.ByIndex(indexName, key)
		for _, o := range objs {
			k.wake(o)
		}
	}
}

func versionOf(obj any) string {
	if m, ok := obj.(*metav1.PartialObjectMetadata); ok {
		return m.ResourceVersion
	}
	return ""
}

// namesOnly keeps what the watcher needs of an object's metadata.
func namesOnly(obj any) (any, error) {
	m, ok := obj.(*metav1.PartialObjectMetadata)
	if !ok {
		return obj, nil
	}
	return &metav1.PartialObjectMetadata{
		TypeMeta: m.TypeMeta,
		ObjectMeta: metav1.ObjectMeta{
			Namespace:       m.Namespace,
			Name:            m.Name,
			ResourceVersion: m.ResourceVersion,
		},
	}, nil
}

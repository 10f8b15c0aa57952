package referrers

import (
	"context"
	"slices"
	"strings"
	"sync"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/metadata"
	"k8s.io/client-go/metadata/metadatainformer"
	"k8s.io/client-go/tools/cache"
	"k8s.io/klog/v2"
)

// Watcher wakes the referrers of Secrets and ConfigMaps that change. It
// watches a kind in a namespace only while some object references one of
// that kind there: a cluster holds far more ConfigMaps and Secrets than
// are referenced (every Kustomization applies its own), and watching them
// all cost a tenth of the reconcilers' pace in BenchmarkKustomizationsReady.
type Watcher struct {
	client metadata.Interface
	kinds  []referrer

	mu sync.Mutex
	// ctx is nil until Start; watches asked for before then start with it.
	ctx     context.Context
	watches map[scope]context.CancelFunc
}

// referrer is one kind's informer, indexed by what its objects reference,
// and how to wake one of them.
type referrer struct {
	indexer cache.Indexer
	wake    func(obj any)
}

// scope is the Secrets or ConfigMaps of one namespace.
type scope struct{ kind, namespace string }

// key is the scope's key in the index scopeIndexName.
func (s scope) key() string { return s.kind + "/" + s.namespace }

var resources = map[string]schema.GroupVersionResource{
	Secret:    corev1.SchemeGroupVersion.WithResource("secrets"),
	ConfigMap: corev1.SchemeGroupVersion.WithResource("configmaps"),
}

// New watches the Secrets and ConfigMaps client reaches.
func New(client metadata.Interface) *Watcher {
	return &Watcher{client: client, watches: map[scope]context.CancelFunc{}}
}

// Register indexes informer's objects (of type T) by refsOf and calls wake
// with each object that references a Secret or ConfigMap when that one is
// created, changed or deleted. Call it before the informer starts.
func Register[T any](w *Watcher, informer cache.SharedIndexInformer, refsOf func(T) []Ref, wake func(obj any)) error {
	index := indexFunc(refsOf)
	err := informer.AddIndexers(cache.Indexers{indexName: index, scopeIndexName: scopeIndexFunc(refsOf)})
	if err != nil {
		return err
	}
	keysOf := func(obj any) []string {
		if tombstone, ok := obj.(cache.DeletedFinalStateUnknown); ok {
			obj = tombstone.Obj
		}
		keys, _ := index(obj)
		return keys
	}
	w.kinds = append(w.kinds, referrer{indexer: informer.GetIndexer(), wake: wake})
	_, err = informer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: func(obj any) { w.watch(keysOf(obj)) },
		UpdateFunc: func(before, after any) {
			if was, now := keysOf(before), keysOf(after); !slices.Equal(was, now) {
				w.watch(now)
				w.release(was)
			}
		},
		DeleteFunc: func(obj any) { w.release(keysOf(obj)) },
	})
	return err
}

// Start runs the watches until ctx ends.
func (w *Watcher) Start(ctx context.Context) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.ctx = ctx
	for s := range w.watches {
		w.startLocked(s, false)
	}
}

// watch makes sure the scopes of keys are watched.
func (w *Watcher) watch(keys []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for s := range scopesOf(keys) {
		if _, ok := w.watches[s]; ok {
			continue
		}
		w.watches[s] = nil
		if w.ctx != nil {
			w.startLocked(s, true)
		}
	}
}

// release stops the watches of the scopes of keys, which an object no
// longer references, unless another object still does. The informers'
// indexes are up to date when their handlers run.
func (w *Watcher) release(keys []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for s := range scopesOf(keys) {
		stop, watched := w.watches[s]
		if !watched || w.referencedLocked(s) {
			continue
		}
		if stop != nil {
			stop()
		}
		delete(w.watches, s)
	}
}

// referencedLocked reports whether an object references something in s;
// w.mu is held, so that a watch asked for meanwhile is not stopped.
func (w *Watcher) referencedLocked(s scope) bool {
	for _, k := range w.kinds {
		if objs, _ := k.indexer.IndexKeys(scopeIndexName, s.key()); len(objs) > 0 {
			return true
		}
	}
	return false
}

// startLocked starts watching s; w.mu is held. A late watch, asked for
// by an object that came after Start, takes the objects it finds first as
// changes: one may have changed after that object's reconcile read it and
// before the watch began.
func (w *Watcher) startLocked(s scope, late bool) {
	ctx, stop := context.WithCancel(w.ctx)
	w.watches[s] = stop
	informer := metadatainformer.NewFilteredMetadataInformer(w.client, resources[s.kind], s.namespace, 0, cache.Indexers{}, nil).Informer()
	// The cache keeps names and versions only: a Secret's annotations may
	// hold its data (kubectl's last-applied-configuration).
	_ = informer.SetTransform(namesOnly) // fails only on a running informer
	_, err := informer.AddEventHandler(cache.ResourceEventHandlerDetailedFuncs{
		// Those there when the server started are no news: every object
		// is reconciled at the start anyway.
		AddFunc: func(obj any, initial bool) {
			if !initial || late {
				w.changed(s.kind, obj)
			}
		},
		UpdateFunc: func(before, after any) {
			if versionOf(before) != versionOf(after) {
				w.changed(s.kind, after)
			}
		},
		DeleteFunc: func(obj any) { w.changed(s.kind, obj) },
	})
	if err != nil {
		klog.FromContext(ctx).Error(err, "Not watching", "kind", s.kind, "namespace", s.namespace)
		return
	}
	go informer.RunWithContext(ctx)
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

// scopesOf is the set of scopes that index keys fall in.
func scopesOf(keys []string) map[scope]bool {
	scopes := map[scope]bool{}
	for _, key := range keys {
		if kind, rest, ok := strings.Cut(key, "/"); ok {
			namespace, _, _ := strings.Cut(rest, "/")
			scopes[scope{kind, namespace}] = true
		}
	}
	return scopes
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

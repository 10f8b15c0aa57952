package source

import (
	"context"

	"k8s.io/client-go/tools/cache"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/reconcile/artifact"
)

// ArtifactCleanup removes the artifacts of deleted sources of one kind:
// nothing can fetch them any more.
type ArtifactCleanup struct {
	Kind    string
	Storage *artifact.Storage
	// Exists reports whether the source is still in the informer's cache.
	Exists func(namespace, name string) bool
}

// Deleted removes the artifacts of a source that was just deleted.
func (c ArtifactCleanup) Deleted(name cache.ObjectName) {
	if err := c.Storage.RemoveAll(c.Kind, name.Namespace, name.Name); err != nil {
		klog.Background().Error(err, "Removing artifacts of a deleted source", "kind", c.Kind, "object", name)
	}
}

// Orphans removes the artifacts of sources deleted while no reconciler
// watched, which no delete event will tell about; run it once the cache
// has synced.
func (c ArtifactCleanup) Orphans(ctx context.Context) {
	logger := klog.FromContext(ctx)
	objects, err := c.Storage.Objects(c.Kind)
	if err != nil {
		logger.Error(err, "Listing stored artifacts", "kind", c.Kind)
		return
	}
	for _, o := range objects {
		if c.Exists(o.Namespace, o.Name) {
			continue
		}
		logger.Info("Removing artifacts of a deleted source", "kind", c.Kind, "object", klog.KRef(o.Namespace, o.Name))
		if err := c.Storage.RemoveAll(c.Kind, o.Namespace, o.Name); err != nil {
			logger.Error(err, "Removing artifacts", "kind", c.Kind, "object", klog.KRef(o.Namespace, o.Name))
		}
	}
}

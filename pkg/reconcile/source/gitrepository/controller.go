package gitrepository

import (
	"context"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/tools/cache"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	gitopsinformers "gitops.io/apiserver/pkg/generated/informers/externalversions/gitops/v1alpha1"
	listers "gitops.io/apiserver/pkg/generated/listers/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/controller"
)

// NewController feeds GitRepositories from informer to r; start the
// informer's factory before running it.
func NewController(informer gitopsinformers.GitRepositoryInformer, r *Reconciler) (*controller.Controller[*v1alpha1.GitRepository], error) {
	lister := informer.Lister()
	var c *controller.Controller[*v1alpha1.GitRepository]
	c, err := controller.New(controller.Config[*v1alpha1.GitRepository]{
		Kind:     kind,
		Informer: informer.Informer(),
		Get: func(namespace, name string) (*v1alpha1.GitRepository, error) {
			return lister.GitRepositories(namespace).Get(name)
		},
		Reconciler: r,
		Interval:   intervalOf,
		Updated: func(before, after *v1alpha1.GitRepository) {
			if artifactDigest(before) != artifactDigest(after) {
				enqueueIncluders(c, lister, after)
			}
		},
		Deleted: r.removeArtifacts,
		Started: func(ctx context.Context) { r.removeOrphanedArtifacts(ctx, lister) },
	})
	return c, err
}

func artifactDigest(obj *v1alpha1.GitRepository) string {
	if obj.Status.Artifact == nil {
		return ""
	}
	return obj.Status.Artifact.Digest
}

// enqueueIncluders enqueues the GitRepositories whose spec.include names
// obj, so they take in its new artifact.
func enqueueIncluders(c *controller.Controller[*v1alpha1.GitRepository], lister listers.GitRepositoryLister, obj *v1alpha1.GitRepository) {
	all, err := lister.GitRepositories(obj.Namespace).List(labels.Everything())
	if err != nil {
		return
	}
	for _, other := range all {
		for _, include := range other.Spec.Include {
			if include.GitRepositoryRef.Name == obj.Name {
				c.Enqueue(other)
				break
			}
		}
	}
}

// removeArtifacts removes a deleted object's artifacts: nothing can fetch
// them any more.
func (r *Reconciler) removeArtifacts(name cache.ObjectName) {
	if err := r.Storage.RemoveAll(kind, name.Namespace, name.Name); err != nil {
		klog.Background().Error(err, "Removing artifacts of deleted GitRepository", "gitrepository", name)
	}
}

// removeOrphanedArtifacts removes the artifacts of GitRepositories deleted
// while no reconciler watched, which no delete event will tell about.
func (r *Reconciler) removeOrphanedArtifacts(ctx context.Context, lister listers.GitRepositoryLister) {
	logger := klog.FromContext(ctx)
	objects, err := r.Storage.Objects(kind)
	if err != nil {
		logger.Error(err, "Listing stored artifacts")
		return
	}
	for _, o := range objects {
		if _, err := lister.GitRepositories(o.Namespace).Get(o.Name); !apierrors.IsNotFound(err) {
			continue
		}
		logger.Info("Removing artifacts of a deleted GitRepository", "gitrepository", klog.KRef(o.Namespace, o.Name))
		if err := r.Storage.RemoveAll(kind, o.Namespace, o.Name); err != nil {
			logger.Error(err, "Removing artifacts", "gitrepository", klog.KRef(o.Namespace, o.Name))
		}
	}
}

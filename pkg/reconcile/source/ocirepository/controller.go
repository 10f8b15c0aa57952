package ocirepository

import (
	"context"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/tools/cache"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	gitopsinformers "gitops.io/apiserver/pkg/generated/informers/externalversions/gitops/v1alpha1"
	listers "gitops.io/apiserver/pkg/generated/listers/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/controller"
)

// NewController feeds OCIRepositories from informer to r; start the
// informer's factory before running it.
func NewController(informer gitopsinformers.OCIRepositoryInformer, r *Reconciler) (*controller.Controller[*v1alpha1.OCIRepository], error) {
	lister := informer.Lister()
	return controller.New(controller.Config[*v1alpha1.OCIRepository]{
		Kind:     kind,
		Informer: informer.Informer(),
		Get: func(namespace, name string) (*v1alpha1.OCIRepository, error) {
			return lister.OCIRepositories(namespace).Get(name)
		},
		Reconciler: r,
		Interval:   intervalOf,
		Deleted:    r.removeArtifacts,
		Started:    func(ctx context.Context) { r.removeOrphanedArtifacts(ctx, lister) },
	})
}

// removeArtifacts removes a deleted object's artifacts: nothing can fetch
// them any more.
func (r *Reconciler) removeArtifacts(name cache.ObjectName) {
	if err := r.Storage.RemoveAll(kind, name.Namespace, name.Name); err != nil {
		klog.Background().Error(err, "Removing artifacts of deleted OCIRepository", "ocirepository", name)
	}
}

// removeOrphanedArtifacts removes the artifacts of OCIRepositories deleted
// while no reconciler watched, which no delete event will tell about.
func (r *Reconciler) removeOrphanedArtifacts(ctx context.Context, lister listers.OCIRepositoryLister) {
	logger := klog.FromContext(ctx)
	objects, err := r.Storage.Objects(kind)
	if err != nil {
		logger.Error(err, "Listing stored artifacts")
		return
	}
	for _, o := range objects {
		if _, err := lister.OCIRepositories(o.Namespace).Get(o.Name); !apierrors.IsNotFound(err) {
			continue
		}
		logger.Info("Removing artifacts of a deleted OCIRepository", "ocirepository", klog.KRef(o.Namespace, o.Name))
		if err := r.Storage.RemoveAll(kind, o.Namespace, o.Name); err != nil {
			logger.Error(err, "Removing artifacts", "ocirepository", klog.KRef(o.Namespace, o.Name))
		}
	}
}

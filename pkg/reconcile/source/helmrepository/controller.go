package helmrepository

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

// NewController feeds HelmRepositories from informer to r; start the
// informer's factory before running it.
func NewController(informer gitopsinformers.HelmRepositoryInformer, r *Reconciler) (*controller.Controller[*v1alpha1.HelmRepository], error) {
	lister := informer.Lister()
	return controller.New(controller.Config[*v1alpha1.HelmRepository]{
		Kind:     kind,
		Informer: informer.Informer(),
		Get: func(namespace, name string) (*v1alpha1.HelmRepository, error) {
			return lister.HelmRepositories(namespace).Get(name)
		},
		Reconciler: r,
		Interval:   intervalOf,
		Deleted:    func(name cache.ObjectName) { r.removeArtifacts(name.Namespace, name.Name) },
		Started:    func(ctx context.Context) { r.removeOrphanedArtifacts(ctx, lister) },
	})
}

// removeArtifacts removes the stored indexes of an object that is gone, or
// that became an OCI repository: nothing can fetch them any more.
func (r *Reconciler) removeArtifacts(namespace, name string) {
	if err := r.Storage.RemoveAll(kind, namespace, name); err != nil {
		klog.Background().Error(err, "Removing artifacts", "helmrepository", klog.KRef(namespace, name))
	}
}

// removeOrphanedArtifacts removes the artifacts of HelmRepositories deleted
// while no reconciler watched, which no delete event will tell about.
func (r *Reconciler) removeOrphanedArtifacts(ctx context.Context, lister listers.HelmRepositoryLister) {
	logger := klog.FromContext(ctx)
	objects, err := r.Storage.Objects(kind)
	if err != nil {
		logger.Error(err, "Listing stored artifacts")
		return
	}
	for _, o := range objects {
		if _, err := lister.HelmRepositories(o.Namespace).Get(o.Name); apierrors.IsNotFound(err) {
			logger.Info("Removing artifacts of a deleted HelmRepository", "helmrepository", klog.KRef(o.Namespace, o.Name))
			r.removeArtifacts(o.Namespace, o.Name)
		}
	}
}

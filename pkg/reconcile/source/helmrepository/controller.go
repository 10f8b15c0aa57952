package helmrepository

import (
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	gitopsinformers "gitops.io/apiserver/pkg/generated/informers/externalversions/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/controller"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// NewController feeds HelmRepositories from informer to r; start the
// informer's factory before running it.
func NewController(informer gitopsinformers.HelmRepositoryInformer, r *Reconciler) (*controller.Controller[*v1alpha1.HelmRepository], error) {
	runtime := r.Kind()
	lister := informer.Lister()
	cleanup := source.ArtifactCleanup{Kind: kind, Storage: r.Storage, Exists: func(namespace, name string) bool {
		_, err := lister.HelmRepositories(namespace).Get(name)
		return !apierrors.IsNotFound(err)
	}}
	return controller.New(controller.Config[*v1alpha1.HelmRepository]{
		Kind:     kind,
		Informer: informer.Informer(),
		Get: func(namespace, name string) (*v1alpha1.HelmRepository, error) {
			return lister.HelmRepositories(namespace).Get(name)
		},
		Reconciler: runtime,
		Interval:   runtime.RetryInterval,
		Deleted:    cleanup.Deleted,
		Started:    cleanup.Orphans,
	})
}

// removeIndexes removes the stored indexes of a repository that became of
// type oci: nothing fetches them any more.
func (r *Reconciler) removeIndexes(obj *v1alpha1.HelmRepository) {
	if err := r.Storage.RemoveAll(kind, obj.Namespace, obj.Name); err != nil {
		klog.Background().Error(err, "Removing artifacts", "helmrepository", klog.KObj(obj))
	}
}

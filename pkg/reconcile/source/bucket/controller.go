package bucket

import (
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	gitopsinformers "gitops.io/apiserver/pkg/generated/informers/externalversions/gitops/v1alpha1"
	listers "gitops.io/apiserver/pkg/generated/listers/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/controller"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// NewController feeds Buckets from informer to r; start the informer's
// factory before running it.
func NewController(informer gitopsinformers.BucketInformer, r *Reconciler) (*controller.Controller[*v1alpha1.Bucket], error) {
	runtime := r.Kind()
	lister := informer.Lister()
	cleanup := r.artifactCleanup(lister)
	return controller.New(controller.Config[*v1alpha1.Bucket]{
		Kind:     kind,
		Informer: informer.Informer(),
		Get: func(namespace, name string) (*v1alpha1.Bucket, error) {
			return lister.Buckets(namespace).Get(name)
		},
		Reconciler: runtime,
		Interval:   runtime.RetryInterval,
		Deleted:    cleanup.Deleted,
		Started:    cleanup.Orphans,
	})
}

func (r *Reconciler) artifactCleanup(lister listers.BucketLister) source.ArtifactCleanup {
	return source.ArtifactCleanup{Kind: kind, Storage: r.Storage, Exists: func(namespace, name string) bool {
		_, err := lister.Buckets(namespace).Get(name)
		return !apierrors.IsNotFound(err)
	}}
}

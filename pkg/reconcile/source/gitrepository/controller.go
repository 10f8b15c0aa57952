package gitrepository

import (
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/labels"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	gitopsinformers "gitops.io/apiserver/pkg/generated/informers/externalversions/gitops/v1alpha1"
	listers "gitops.io/apiserver/pkg/generated/listers/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/controller"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// NewController feeds GitRepositories from informer to r; start the
// informer's factory before running it.
func NewController(informer gitopsinformers.GitRepositoryInformer, r *Reconciler) (*controller.Controller[*v1alpha1.GitRepository], error) {
	lister := informer.Lister()
	cleanup := r.artifactCleanup(lister)
	runtime := r.Kind()
	var c *controller.Controller[*v1alpha1.GitRepository]
	c, err := controller.New(controller.Config[*v1alpha1.GitRepository]{
		Kind:     kind,
		Informer: informer.Informer(),
		Get: func(namespace, name string) (*v1alpha1.GitRepository, error) {
			return lister.GitRepositories(namespace).Get(name)
		},
		Reconciler: runtime,
		Interval:   runtime.RetryInterval,
		Updated: func(before, after *v1alpha1.GitRepository) {
			if artifactDigest(before) != artifactDigest(after) {
				enqueueIncluders(c, lister, after)
			}
		},
		Deleted: cleanup.Deleted,
		Started: cleanup.Orphans,
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

func (r *Reconciler) artifactCleanup(lister listers.GitRepositoryLister) source.ArtifactCleanup {
	return source.ArtifactCleanup{Kind: kind, Storage: r.Storage, Exists: func(namespace, name string) bool {
		_, err := lister.GitRepositories(namespace).Get(name)
		return !apierrors.IsNotFound(err)
	}}
}

package kustomize

import (
	"k8s.io/client-go/tools/cache"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	gitopsinformers "gitops.io/apiserver/pkg/generated/informers/externalversions/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/controller"
)

// Indexes of the Kustomization informer, to find the Kustomizations a
// changed source or dependency concerns.
const (
	bySource     = "source"
	byDependency = "dependency"
)

// NewController feeds Kustomizations to r and wakes them when their source
// has a new artifact or a dependency becomes Ready. It points r's listers at
// the informers; start the informers' factory before running it.
func NewController(informers gitopsinformers.Interface, r *Reconciler) (*controller.Controller[*v1alpha1.Kustomization], error) {
	kustomizations := informers.Kustomizations()
	r.Kustomizations = kustomizations.Lister()
	r.Sources = Sources{
		GitRepositories: informers.GitRepositories().Lister(),
		OCIRepositories: informers.OCIRepositories().Lister(),
		Buckets:         informers.Buckets().Lister(),
	}
	indexer := kustomizations.Informer()
	if err := indexer.AddIndexers(cache.Indexers{bySource: sourceIndex, byDependency: dependencyIndex}); err != nil {
		return nil, err
	}
	runtime := r.Kind()
	var c *controller.Controller[*v1alpha1.Kustomization]
	wake := func(index, key string) {
		objs, _ := indexer.GetIndexer().ByIndex(index, key)
		for _, o := range objs {
			c.Enqueue(o)
		}
	}
	c, err := controller.New(controller.Config[*v1alpha1.Kustomization]{
		Kind:     kind,
		Informer: kustomizations.Informer(),
		Get: func(namespace, name string) (*v1alpha1.Kustomization, error) {
			return r.Kustomizations.Kustomizations(namespace).Get(name)
		},
		Reconciler: runtime,
		Interval:   runtime.RetryInterval,
		Updated: func(before, after *v1alpha1.Kustomization) {
			if isReady(before) != isReady(after) || before.Status.LastAppliedRevision != after.Status.LastAppliedRevision {
				wake(byDependency, after.Namespace+"/"+after.Name)
			}
		},
	})
	if err != nil {
		return nil, err
	}
	for sourceKind, informer := range map[string]cache.SharedIndexInformer{
		v1alpha1.GitRepositoryKind: informers.GitRepositories().Informer(),
		v1alpha1.OCIRepositoryKind: informers.OCIRepositories().Informer(),
		v1alpha1.BucketKind:        informers.Buckets().Informer(),
	} {
		_, err := informer.AddEventHandler(cache.ResourceEventHandlerFuncs{
			UpdateFunc: func(oldObj, newObj any) {
				if artifactRevision(oldObj) != artifactRevision(newObj) {
					if name, err := cache.ObjectToName(newObj); err == nil {
						wake(bySource, sourceKind+"/"+name.String())
					}
				}
			},
		})
		if err != nil {
			return nil, err
		}
	}
	return c, nil
}

func sourceIndex(obj any) ([]string, error) {
	k, ok := obj.(*v1alpha1.Kustomization)
	if !ok {
		return nil, nil
	}
	ns := k.Spec.SourceRef.Namespace
	if ns == "" {
		ns = k.Namespace
	}
	return []string{k.Spec.SourceRef.Kind + "/" + ns + "/" + k.Spec.SourceRef.Name}, nil
}

func dependencyIndex(obj any) ([]string, error) {
	k, ok := obj.(*v1alpha1.Kustomization)
	if !ok {
		return nil, nil
	}
	var keys []string
	for _, dep := range dependencies(k) {
		keys = append(keys, dep.String())
	}
	return keys, nil
}

// artifactRevision returns the revision and digest of a source's artifact.
func artifactRevision(obj any) string {
	var a *v1alpha1.Artifact
	switch o := obj.(type) {
	case *v1alpha1.GitRepository:
		a = o.Status.Artifact
	case *v1alpha1.OCIRepository:
		a = o.Status.Artifact
	case *v1alpha1.Bucket:
		a = o.Status.Artifact
	}
	if a == nil {
		return ""
	}
	return a.Revision + "@" + a.Digest
}

package kustomize

import (
	"k8s.io/client-go/tools/cache"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	gitopsinformers "gitops.io/apiserver/pkg/generated/informers/externalversions/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/conditions"
	"gitops.io/apiserver/pkg/reconcile/controller"
	"gitops.io/apiserver/pkg/reconcile/dependency"
	"gitops.io/apiserver/pkg/reconcile/source"
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
	r.Dependencies = dependency.Checker{Get: dependency.FromInformers(informers), NoCrossNamespaceRefs: r.NoCrossNamespaceRefs}
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
			if conditions.IsReady(before) != conditions.IsReady(after) || before.Status.LastAppliedRevision != after.Status.LastAppliedRevision {
				wake(byDependency, dependency.Key(kind, after.Namespace, after.Name))
			}
		},
	})
	if err != nil {
		return nil, err
	}
	// A source wakes its Kustomizations with a new artifact, and those
	// that depend on it when its readiness changes.
	for sourceKind, informer := range map[string]cache.SharedIndexInformer{
		v1alpha1.GitRepositoryKind:  informers.GitRepositories().Informer(),
		v1alpha1.OCIRepositoryKind:  informers.OCIRepositories().Informer(),
		v1alpha1.BucketKind:         informers.Buckets().Informer(),
		v1alpha1.HelmRepositoryKind: informers.HelmRepositories().Informer(),
		v1alpha1.HelmChartKind:      informers.HelmCharts().Informer(),
	} {
		_, err := informer.AddEventHandler(cache.ResourceEventHandlerFuncs{
			UpdateFunc: func(oldObj, newObj any) {
				before, ok1 := oldObj.(source.Source)
				after, ok2 := newObj.(source.Source)
				if !ok1 || !ok2 {
					return
				}
				if artifactRevision(before) != artifactRevision(after) {
					wake(bySource, sourceKind+"/"+after.GetNamespace()+"/"+after.GetName())
				}
				if conditions.IsReady(before) != conditions.IsReady(after) {
					wake(byDependency, dependency.Key(sourceKind, after.GetNamespace(), after.GetName()))
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
	return dependency.Keys(kind, k.Namespace, k.Spec.DependsOn), nil
}

// artifactRevision returns the revision and digest of a source's artifact.
func artifactRevision(src source.Source) string {
	a := src.GetArtifact()
	if a == nil {
		return ""
	}
	return a.Revision + "@" + a.Digest
}

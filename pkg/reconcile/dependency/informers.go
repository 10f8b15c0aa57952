package dependency

import (
	"fmt"

	gitopsinformers "gitops.io/apiserver/pkg/generated/informers/externalversions/gitops/v1alpha1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/controller"
)

// FromInformers reads the kinds of v1alpha1.DependencyKinds from the
// informers' caches.
func FromInformers(informers gitopsinformers.Interface) Getter {
	return func(kind, namespace, name string) (controller.Reconciled, error) {
		switch kind {
		case v1alpha1.KustomizationKind:
			return informers.Kustomizations().Lister().Kustomizations(namespace).Get(name)
		case v1alpha1.GitRepositoryKind:
			return informers.GitRepositories().Lister().GitRepositories(namespace).Get(name)
		case v1alpha1.OCIRepositoryKind:
			return informers.OCIRepositories().Lister().OCIRepositories(namespace).Get(name)
		case v1alpha1.HelmRepositoryKind:
			return informers.HelmRepositories().Lister().HelmRepositories(namespace).Get(name)
		case v1alpha1.HelmChartKind:
			return informers.HelmCharts().Lister().HelmCharts(namespace).Get(name)
		case v1alpha1.BucketKind:
			return informers.Buckets().Lister().Buckets(namespace).Get(name)
		}
		return nil, fmt.Errorf("kind %s cannot be a dependency", kind)
	}
}

package v1alpha1

// DependencyKinds are the kinds a dependsOn entry may name: those whose
// Ready condition a reconciler keeps. HelmRelease joins once it has one.
var DependencyKinds = []string{
	KustomizationKind,
	GitRepositoryKind, OCIRepositoryKind, HelmRepositoryKind, HelmChartKind, BucketKind,
}

// DependencyKindOf is the kind dep names for a referrer of referrerKind.
func DependencyKindOf(dep DependencyReference, referrerKind string) string {
	if dep.Kind == "" {
		return referrerKind
	}
	return dep.Kind
}

// GetDependsOn returns spec.dependsOn.
func (in *Kustomization) GetDependsOn() []DependencyReference { return in.Spec.DependsOn }

// GetDependsOn returns spec.dependsOn.
func (in *HelmRelease) GetDependsOn() []DependencyReference { return in.Spec.DependsOn }

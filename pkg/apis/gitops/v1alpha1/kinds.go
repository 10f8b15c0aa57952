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

// GetArtifact returns status.artifact, the source's last stored artifact.
func (in *GitRepository) GetArtifact() *Artifact { return in.Status.Artifact }

// SetArtifact replaces status.artifact.
func (in *GitRepository) SetArtifact(a *Artifact) { in.Status.Artifact = a }

// GetArtifact returns status.artifact, the source's last stored artifact.
func (in *OCIRepository) GetArtifact() *Artifact { return in.Status.Artifact }

// SetArtifact replaces status.artifact.
func (in *OCIRepository) SetArtifact(a *Artifact) { in.Status.Artifact = a }

// GetArtifact returns status.artifact, the source's last stored artifact.
func (in *HelmRepository) GetArtifact() *Artifact { return in.Status.Artifact }

// SetArtifact replaces status.artifact.
func (in *HelmRepository) SetArtifact(a *Artifact) { in.Status.Artifact = a }

// GetArtifact returns status.artifact, the source's last stored artifact.
func (in *HelmChart) GetArtifact() *Artifact { return in.Status.Artifact }

// SetArtifact replaces status.artifact.
func (in *HelmChart) SetArtifact(a *Artifact) { in.Status.Artifact = a }

// GetArtifact returns status.artifact, the source's last stored artifact.
func (in *Bucket) GetArtifact() *Artifact { return in.Status.Artifact }

// SetArtifact replaces status.artifact.
func (in *Bucket) SetArtifact(a *Artifact) { in.Status.Artifact = a }

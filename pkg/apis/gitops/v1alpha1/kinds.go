package v1alpha1

import (
	"slices"

	"k8s.io/apimachinery/pkg/runtime/schema"
)

// KindInfo is one kind of the group as the server and the reconcilers see
// it. Adding a kind is a row of Kinds, plus its registry and reconciler.
// It is not part of the API.
//
// +k8s:deepcopy-gen=false
// +k8s:openapi-gen=false
type KindInfo struct {
	Kind string
	// Resource is the kind's plural resource name.
	Resource string
	// Artifact: the kind keeps status.artifact (GetArtifact) and serves it
	// as the artifact subresource.
	Artifact bool
	// Dependency: a reconciler keeps the kind's Ready condition, so a
	// dependsOn entry may name it.
	Dependency bool
	// Notifies: the kind emits events an Alert may forward and takes
	// reconcile requests.
	Notifies bool
}

// GroupVersionResource is the kind's resource in this group and version.
func (k KindInfo) GroupVersionResource() schema.GroupVersionResource {
	return SchemeGroupVersion.WithResource(k.Resource)
}

// Kinds are the kinds of gitops.io/v1alpha1.
var Kinds = []KindInfo{
	{Kind: GitRepositoryKind, Resource: "gitrepositories", Artifact: true, Dependency: true, Notifies: true},
	{Kind: OCIRepositoryKind, Resource: "ocirepositories", Artifact: true, Dependency: true, Notifies: true},
	{Kind: HelmRepositoryKind, Resource: "helmrepositories", Artifact: true, Dependency: true, Notifies: true},
	{Kind: HelmChartKind, Resource: "helmcharts", Artifact: true, Dependency: true, Notifies: true},
	{Kind: BucketKind, Resource: "buckets", Artifact: true, Dependency: true, Notifies: true},
	{Kind: KustomizationKind, Resource: "kustomizations", Dependency: true, Notifies: true},
	{Kind: HelmReleaseKind, Resource: "helmreleases", Dependency: true, Notifies: true},
	{Kind: ProviderKind, Resource: "providers"},
	{Kind: AlertKind, Resource: "alerts"},
	{Kind: ReceiverKind, Resource: "receivers"},
	{Kind: ImageRepositoryKind, Resource: "imagerepositories", Notifies: true},
	{Kind: ImagePolicyKind, Resource: "imagepolicies", Notifies: true},
	{Kind: ImageUpdateAutomationKind, Resource: "imageupdateautomations", Notifies: true},
}

// RefField is a field of one kind that names a source, and the kinds it
// accepts. Each is a kind of Kinds with Artifact set. It is not part of the
// API.
//
// +k8s:deepcopy-gen=false
// +k8s:openapi-gen=false
type RefField struct {
	// Referrer is the kind the field belongs to; Path is the field.
	Referrer, Path string
	Kinds          []string
}

// Accepts reports whether the field may name a source of kind.
func (f RefField) Accepts(kind string) bool { return slices.Contains(f.Kinds, kind) }

// The fields that name a source.
var (
	KustomizationSourceRef = RefField{Referrer: KustomizationKind, Path: "spec.sourceRef",
		Kinds: []string{GitRepositoryKind, OCIRepositoryKind, BucketKind}}
	HelmChartSourceRef = RefField{Referrer: HelmChartKind, Path: "spec.sourceRef",
		Kinds: []string{HelmRepositoryKind, GitRepositoryKind, BucketKind}}
	HelmReleaseChartRef = RefField{Referrer: HelmReleaseKind, Path: "spec.chartRef",
		Kinds: []string{OCIRepositoryKind, HelmChartKind}}
	ImageUpdateAutomationSourceRef = RefField{Referrer: ImageUpdateAutomationKind, Path: "spec.sourceRef",
		Kinds: []string{GitRepositoryKind}}
)

// RefFields are the fields that name a source.
var RefFields = []RefField{KustomizationSourceRef, HelmChartSourceRef, HelmReleaseChartRef, ImageUpdateAutomationSourceRef}

// KindNamed returns the row of Kinds for kind.
func KindNamed(kind string) (KindInfo, bool) {
	i := slices.IndexFunc(Kinds, func(k KindInfo) bool { return k.Kind == kind })
	if i < 0 {
		return KindInfo{}, false
	}
	return Kinds[i], true
}

// kindsWhere names the kinds of Kinds that have a property.
func kindsWhere(has func(KindInfo) bool) []string {
	var names []string
	for _, k := range Kinds {
		if has(k) {
			names = append(names, k.Kind)
		}
	}
	return names
}

// DependencyKinds are the kinds a dependsOn entry may name: those whose
// Ready condition a reconciler keeps.
var DependencyKinds = kindsWhere(func(k KindInfo) bool { return k.Dependency })

// NotifyingKinds are the kinds an Alert may forward events of and a
// Receiver may request reconciles of.
var NotifyingKinds = kindsWhere(func(k KindInfo) bool { return k.Notifies })

// DependencyKindOf is the kind dep names for a referrer of referrerKind.
func DependencyKindOf(dep DependencyReference, referrerKind string) string {
	if dep.Kind == "" {
		return referrerKind
	}
	return dep.Kind
}

// ArtifactHolder is an object of a kind with an artifact. It is not part
// of the API.
//
// +k8s:deepcopy-gen=false
// +k8s:openapi-gen=false
type ArtifactHolder interface {
	GetArtifact() *Artifact
	SetArtifact(*Artifact)
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

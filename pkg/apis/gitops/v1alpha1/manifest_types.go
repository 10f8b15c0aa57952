package v1alpha1

// Types that describe how rendered manifests are changed and checked before
// they are applied. Kustomization and HelmRelease (post-renderers) share them.

// CommonMetadata holds labels and annotations set on every applied object,
// overriding values with the same key.
type CommonMetadata struct {
	// Annotations to add to every object.
	// +optional
	Annotations map[string]string `json:"annotations,omitempty"`
	// Labels to add to every object.
	// +optional
	Labels map[string]string `json:"labels,omitempty"`
}

// Image replaces the name, tag or digest of a container image wherever it
// is used.
type Image struct {
	// Name is the image name without tag to look for.
	Name string `json:"name"`
	// NewName replaces the image name.
	// +optional
	NewName string `json:"newName,omitempty"`
	// NewTag replaces the tag.
	// +optional
	NewTag string `json:"newTag,omitempty"`
	// Digest replaces the tag with a digest; NewTag is ignored when set.
	// +optional
	Digest string `json:"digest,omitempty"`
}

// Selector picks objects; an object is selected when it matches every field set.
type Selector struct {
	// Group of the objects.
	// +optional
	Group string `json:"group,omitempty"`
	// Version of the objects.
	// +optional
	Version string `json:"version,omitempty"`
	// Kind of the objects.
	// +optional
	Kind string `json:"kind,omitempty"`
	// Namespace of the objects.
	// +optional
	Namespace string `json:"namespace,omitempty"`
	// Name of the objects (a regular expression in kustomize).
	// +optional
	Name string `json:"name,omitempty"`
	// AnnotationSelector is a label-selector expression matched against annotations.
	// +optional
	AnnotationSelector string `json:"annotationSelector,omitempty"`
	// LabelSelector is a label-selector expression matched against labels.
	// +optional
	LabelSelector string `json:"labelSelector,omitempty"`
}

// Patch is an inline strategic-merge or JSON 6902 patch and the objects it applies to.
type Patch struct {
	// Patch is the patch document, as YAML or JSON.
	Patch string `json:"patch"`
	// Target selects the objects to patch; empty means what the patch names.
	// +optional
	Target *Selector `json:"target,omitempty"`
}

// CustomHealthCheck says how to read the health of a custom resource with CEL.
type CustomHealthCheck struct {
	// APIVersion of the resources this check applies to.
	APIVersion string `json:"apiVersion"`
	// Kind of the resources this check applies to.
	// +optional
	Kind string `json:"kind,omitempty"`
	// Current is true when the resource has reached its desired state.
	Current string `json:"current"`
	// InProgress is true while the resource is still working towards it.
	// +optional
	InProgress string `json:"inProgress,omitempty"`
	// Failed is true when the resource cannot reach its desired state.
	// +optional
	Failed string `json:"failed,omitempty"`
}

// IgnoreRule leaves some fields of some objects out of drift detection.
type IgnoreRule struct {
	// Paths are JSON pointers (RFC 6901) to ignore.
	// +listType=atomic
	Paths []string `json:"paths"`
	// Target selects the objects the rule applies to; empty means all.
	// +optional
	Target *Selector `json:"target,omitempty"`
}

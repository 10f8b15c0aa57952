package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ImagePolicyKind is the kind name of ImagePolicy.
const ImagePolicyKind = "ImagePolicy"

// ReflectionPolicy says when the digest of the chosen image is looked up.
// +enum
type ReflectionPolicy string

const (
	// ReflectAlways refreshes the digest every Interval, even for an unchanged tag.
	ReflectAlways ReflectionPolicy = "Always"
	// ReflectIfNotPresent looks the digest up once per chosen tag.
	ReflectIfNotPresent ReflectionPolicy = "IfNotPresent"
	// ReflectNever leaves the digest empty; the default.
	ReflectNever ReflectionPolicy = "Never"
)

// SortOrder orders tags for alphabetical and numerical policies.
// +enum
type SortOrder string

const (
	// SortOrderAscending picks the last tag in ascending order (Z, 9); the default.
	SortOrderAscending SortOrder = "asc"
	// SortOrderDescending picks the first tag in ascending order (A, 0).
	SortOrderDescending SortOrder = "desc"
)

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// ImagePolicy picks the latest image from the tags an ImageRepository found.
type ImagePolicy struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   ImagePolicySpec   `json:"spec,omitempty"`
	Status ImagePolicyStatus `json:"status,omitempty"`
}

// ImagePolicySpec is the desired state of an ImagePolicy.
type ImagePolicySpec struct {
	// ImageRepositoryRef names the ImageRepository whose tags are considered.
	ImageRepositoryRef NamespacedObjectReference `json:"imageRepositoryRef"`
	// Policy orders the tags; exactly one ordering must be set.
	Policy ImagePolicyChoice `json:"policy"`
	// FilterTags keeps only matching tags, optionally rewritten by a capture group.
	// +optional
	FilterTags *TagFilter `json:"filterTags,omitempty"`
	// DigestReflectionPolicy is Never (the default), IfNotPresent or Always.
	// +optional
	DigestReflectionPolicy ReflectionPolicy `json:"digestReflectionPolicy,omitempty"`
	// Interval between digest refreshes; only with DigestReflectionPolicy
	// Always, where it is required.
	// +optional
	Interval *Duration `json:"interval,omitempty"`
	// Suspend stops evaluating the policy until it is set to false again.
	// +optional
	Suspend bool `json:"suspend,omitempty"`
}

// ImagePolicyChoice holds exactly one way of ordering tags.
type ImagePolicyChoice struct {
	// SemVer picks the highest version within a range.
	// +optional
	SemVer *SemVerPolicy `json:"semver,omitempty"`
	// Alphabetical orders tags as strings.
	// +optional
	Alphabetical *AlphabeticalPolicy `json:"alphabetical,omitempty"`
	// Numerical orders tags as numbers.
	// +optional
	Numerical *NumericalPolicy `json:"numerical,omitempty"`
}

// SemVerPolicy picks the highest tag within a semver range.
type SemVerPolicy struct {
	// Range of acceptable versions, e.g. '>=1.0.0 <2.0.0' or '1.x'.
	Range string `json:"range"`
}

// AlphabeticalPolicy orders tags as strings.
type AlphabeticalPolicy struct {
	// Order is asc (the default) or desc.
	// +optional
	Order SortOrder `json:"order,omitempty"`
}

// NumericalPolicy orders tags as numbers.
type NumericalPolicy struct {
	// Order is asc (the default) or desc.
	// +optional
	Order SortOrder `json:"order,omitempty"`
}

// TagFilter keeps the tags matching a regular expression.
type TagFilter struct {
	// Pattern is the regular expression tags must match.
	// +optional
	Pattern string `json:"pattern"`
	// Extract is a capture-group template (e.g. '$ts') whose result is
	// ordered instead of the whole tag.
	// +optional
	Extract string `json:"extract"`
}

// ImageRef names one image.
type ImageRef struct {
	// Name of the image without tag.
	Name string `json:"name"`
	// Tag of the image.
	Tag string `json:"tag"`
	// Digest of the image.
	// +optional
	Digest string `json:"digest,omitempty"`
}

// ImagePolicyStatus is the observed state of an ImagePolicy.
type ImagePolicyStatus struct {
	// LatestRef is the image the policy picked.
	// +optional
	LatestRef *ImageRef `json:"latestRef,omitempty"`
	// ObservedPreviousRef is the image picked before LatestRef.
	// +optional
	ObservedPreviousRef *ImageRef `json:"observedPreviousRef,omitempty"`
	// ObservedGeneration is the generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Conditions are Ready, Reconciling and Stalled.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	ReconcileRequestStatus `json:",inline"`
	OwnerStatus            `json:",inline"`
}

// GetConditions returns the status conditions.
func (in *ImagePolicy) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the status conditions.
func (in *ImagePolicy) SetConditions(conditions []metav1.Condition) {
	in.Status.Conditions = conditions
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// ImagePolicyList is a list of ImagePolicies.
type ImagePolicyList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []ImagePolicy `json:"items"`
}

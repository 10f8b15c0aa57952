package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ImageRepositoryKind is the kind name of ImageRepository.
const ImageRepositoryKind = "ImageRepository"

// DefaultImageExclusion leaves cosign signature tags out of the scanned tags.
const DefaultImageExclusion = `^.*\.sig$`

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// ImageRepository scans the tags of a container image repository, for
// ImagePolicies to choose from.
type ImageRepository struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   ImageRepositorySpec   `json:"spec,omitempty"`
	Status ImageRepositoryStatus `json:"status,omitempty"`
}

// ImageRepositorySpec is the desired state of an ImageRepository.
type ImageRepositorySpec struct {
	// Image is the repository to scan, without tag, e.g. ghcr.io/org/app.
	Image string `json:"image"`
	// Interval between scans.
	Interval Duration `json:"interval"`
	// Timeout for a scan; Interval by default.
	// +optional
	Timeout *Duration `json:"timeout,omitempty"`
	// SecretRef names a docker-registry Secret with credentials.
	// +optional
	SecretRef *LocalObjectReference `json:"secretRef,omitempty"`
	// ProxySecretRef names a Secret with the proxy (address, username, password).
	// +optional
	ProxySecretRef *LocalObjectReference `json:"proxySecretRef,omitempty"`
	// ServiceAccountName names a ServiceAccount whose image pull secrets are used.
	// +optional
	ServiceAccountName string `json:"serviceAccountName,omitempty"`
	// CertSecretRef names a Secret with ca.crt and/or tls.crt and tls.key.
	// +optional
	CertSecretRef *LocalObjectReference `json:"certSecretRef,omitempty"`
	// Suspend stops scanning until it is set to false again.
	// +optional
	Suspend bool `json:"suspend,omitempty"`
	// AccessFrom restricts which namespaces may use this repository.
	// +optional
	AccessFrom *AccessFrom `json:"accessFrom,omitempty"`
	// ExclusionList holds regular expressions of tags to ignore (at most
	// 25); signature tags when absent. An explicit empty list keeps every
	// tag, which is why the field is written even when empty.
	// +listType=atomic
	// +optional
	ExclusionList []string `json:"exclusionList"`
	// Provider selects how to authenticate: generic (default), aws, azure or gcp.
	// +optional
	Provider string `json:"provider,omitempty"`
	// Insecure allows plain HTTP to the registry.
	// +optional
	Insecure bool `json:"insecure,omitempty"`
}

// ScanResult summarises the last scan.
type ScanResult struct {
	// Revision is a stable hash of the tags found.
	// +optional
	Revision string `json:"revision"`
	// TagCount is the number of tags found.
	TagCount int32 `json:"tagCount"`
	// ScanTime is when the scan ran.
	// +optional
	ScanTime metav1.Time `json:"scanTime"`
	// LatestTags are the first ten tags in descending alphabetical order.
	// +listType=atomic
	// +optional
	LatestTags []string `json:"latestTags,omitempty"`
}

// ImageRepositoryStatus is the observed state of an ImageRepository.
type ImageRepositoryStatus struct {
	// Conditions are Ready, Reconciling and Stalled.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
	// ObservedGeneration is the generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// CanonicalImageName is the image with implied parts spelled out, e.g.
	// docker.io/library/alpine for alpine.
	// +optional
	CanonicalImageName string `json:"canonicalImageName,omitempty"`
	// LastScanResult summarises the last scan.
	// +optional
	LastScanResult *ScanResult `json:"lastScanResult,omitempty"`
	// ObservedExclusionList is the exclusion list of the last scan.
	// +listType=atomic
	// +optional
	ObservedExclusionList []string `json:"observedExclusionList,omitempty"`

	ReconcileRequestStatus `json:",inline"`
	OwnerStatus            `json:",inline"`
}

// GetConditions returns the status conditions.
func (in *ImageRepository) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the status conditions.
func (in *ImageRepository) SetConditions(conditions []metav1.Condition) {
	in.Status.Conditions = conditions
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// ImageRepositoryList is a list of ImageRepositories.
type ImageRepositoryList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []ImageRepository `json:"items"`
}

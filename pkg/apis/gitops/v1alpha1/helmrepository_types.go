package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// HelmRepositoryKind is the kind name of HelmRepository.
const HelmRepositoryKind = "HelmRepository"

// HelmRepositoryType says what kind of server a HelmRepository points at.
// +enum
type HelmRepositoryType string

const (
	// HelmRepositoryTypeDefault is a classic Helm repository serving index.yaml over HTTP(S).
	HelmRepositoryTypeDefault HelmRepositoryType = "default"
	// HelmRepositoryTypeOCI is an OCI registry holding charts; the URL must start with oci://.
	HelmRepositoryTypeOCI HelmRepositoryType = "oci"
)

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// HelmRepository makes the charts of a Helm repository or OCI registry
// available to HelmCharts.
type HelmRepository struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   HelmRepositorySpec   `json:"spec,omitempty"`
	Status HelmRepositoryStatus `json:"status,omitempty"`
}

// HelmRepositorySpec is the desired state of a HelmRepository.
type HelmRepositorySpec struct {
	// URL of the repository: http:// or https://, or oci:// for type oci.
	URL string `json:"url"`
	// SecretRef names a Secret with username and password for basic auth
	// (and, deprecated, certFile/keyFile/caFile).
	// +optional
	SecretRef *LocalObjectReference `json:"secretRef,omitempty"`
	// CertSecretRef names a Secret with TLS material: tls.crt and tls.key
	// for client authentication, ca.crt to trust a private CA. It wins over
	// TLS keys in SecretRef.
	// +optional
	CertSecretRef *LocalObjectReference `json:"certSecretRef,omitempty"`
	// PassCredentials sends the SecretRef credentials also to hosts other
	// than the URL's (chart URLs in the index may point elsewhere). Use with care.
	// +optional
	PassCredentials bool `json:"passCredentials,omitempty"`
	// Interval between index downloads. Not needed for type oci, whose
	// charts are pulled by the HelmCharts themselves.
	// +optional
	Interval Duration `json:"interval,omitempty"`
	// Insecure allows plain HTTP to an OCI registry (type oci only).
	// +optional
	Insecure bool `json:"insecure,omitempty"`
	// Timeout for index downloads and OCI operations; defaults to 60s.
	// +optional
	Timeout *Duration `json:"timeout,omitempty"`
	// Suspend stops reconciliation until it is set to false again.
	// +optional
	Suspend bool `json:"suspend,omitempty"`
	// AccessFrom restricts which namespaces may use this repository.
	// +optional
	AccessFrom *AccessFrom `json:"accessFrom,omitempty"`
	// Type is default (an index.yaml repository, the default) or oci.
	// +optional
	Type HelmRepositoryType `json:"type,omitempty"`
	// Provider selects how to authenticate to an OCI registry: generic
	// (default), aws, azure or gcp. Only used for type oci.
	// +optional
	Provider string `json:"provider,omitempty"`
}

// HelmRepositoryStatus is the observed state of a HelmRepository.
type HelmRepositoryStatus struct {
	// ObservedGeneration is the generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Conditions are Ready, Reconciling, Stalled and source-specific ones.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
	// URL to download the latest index artifact from.
	// +optional
	URL string `json:"url,omitempty"`
	// Artifact is the index downloaded by the last successful reconciliation.
	// +optional
	Artifact *Artifact `json:"artifact,omitempty"`

	ReconcileRequestStatus `json:",inline"`
	OwnerStatus            `json:",inline"`
}

// GetConditions returns the status conditions.
func (in *HelmRepository) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the status conditions.
func (in *HelmRepository) SetConditions(conditions []metav1.Condition) {
	in.Status.Conditions = conditions
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// HelmRepositoryList is a list of HelmRepositories.
type HelmRepositoryList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []HelmRepository `json:"items"`
}

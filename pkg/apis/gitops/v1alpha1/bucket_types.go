package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// BucketKind is the kind name of Bucket.
const BucketKind = "Bucket"

// Values of BucketSTSSpec.Provider.
const (
	// STSProviderAWS fetches temporary credentials from an AWS STS endpoint.
	STSProviderAWS = "aws"
	// STSProviderLDAP fetches temporary credentials from an LDAP (MinIO) STS endpoint.
	STSProviderLDAP = "ldap"
)

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// Bucket turns the objects of an object-storage bucket (S3 compatible, GCS
// or Azure Blob) into an artifact that appliers consume.
type Bucket struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   BucketSpec   `json:"spec,omitempty"`
	Status BucketStatus `json:"status,omitempty"`
}

// BucketSpec is the desired state of a Bucket.
type BucketSpec struct {
	// Provider is generic (any S3 compatible store, the default), aws, gcp or azure.
	// +optional
	Provider string `json:"provider,omitempty"`
	// BucketName is the name of the bucket.
	BucketName string `json:"bucketName"`
	// Endpoint is the address of the object storage service.
	Endpoint string `json:"endpoint"`
	// STS fetches temporary credentials from a security token service
	// (aws and generic providers only).
	// +optional
	STS *BucketSTSSpec `json:"sts,omitempty"`
	// Insecure allows plain HTTP to the endpoint.
	// +optional
	Insecure bool `json:"insecure,omitempty"`
	// Region of the endpoint.
	// +optional
	Region string `json:"region,omitempty"`
	// Prefix filters the objects on the server side.
	// +optional
	Prefix string `json:"prefix,omitempty"`
	// SecretRef names a Secret with credentials for the bucket.
	// +optional
	SecretRef *LocalObjectReference `json:"secretRef,omitempty"`
	// ServiceAccountName is used for workload identity (gcp and aws providers).
	// +optional
	ServiceAccountName string `json:"serviceAccountName,omitempty"`
	// CertSecretRef names a Secret with TLS material: tls.crt and tls.key
	// for client authentication, ca.crt to trust a private CA (generic provider).
	// +optional
	CertSecretRef *LocalObjectReference `json:"certSecretRef,omitempty"`
	// ProxySecretRef names a Secret with the proxy (address, username, password).
	// +optional
	ProxySecretRef *LocalObjectReference `json:"proxySecretRef,omitempty"`
	// Interval between checks of the bucket for changes.
	Interval Duration `json:"interval"`
	// Timeout for fetch operations; defaults to 60s.
	// +optional
	Timeout *Duration `json:"timeout,omitempty"`
	// Ignore holds .sourceignore-style patterns of files to leave out of the
	// artifact, replacing the defaults.
	// +optional
	Ignore *string `json:"ignore,omitempty"`
	// Suspend stops reconciliation until it is set to false again.
	// +optional
	Suspend bool `json:"suspend,omitempty"`
}

// BucketSTSSpec says where to fetch temporary credentials for a Bucket.
type BucketSTSSpec struct {
	// Provider of the token service: aws or ldap.
	Provider string `json:"provider"`
	// Endpoint of the token service, http:// or https://.
	Endpoint string `json:"endpoint"`
	// SecretRef names a Secret with username and password (ldap only).
	// +optional
	SecretRef *LocalObjectReference `json:"secretRef,omitempty"`
	// CertSecretRef names a Secret with TLS material for the token service (ldap only).
	// +optional
	CertSecretRef *LocalObjectReference `json:"certSecretRef,omitempty"`
}

// BucketStatus is the observed state of a Bucket.
type BucketStatus struct {
	// ObservedGeneration is the generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Conditions are Ready, Reconciling, Stalled and source-specific ones.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
	// URL to download the latest artifact from.
	// +optional
	URL string `json:"url,omitempty"`
	// Artifact is the output of the last successful reconciliation.
	// +optional
	Artifact *Artifact `json:"artifact,omitempty"`
	// ObservedIgnore is the ignore setting the artifact was built with.
	// +optional
	ObservedIgnore *string `json:"observedIgnore,omitempty"`

	ReconcileRequestStatus `json:",inline"`
	OwnerStatus            `json:",inline"`
}

// GetConditions returns the status conditions.
func (in *Bucket) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the status conditions.
func (in *Bucket) SetConditions(conditions []metav1.Condition) {
	in.Status.Conditions = conditions
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// BucketList is a list of Buckets.
type BucketList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []Bucket `json:"items"`
}

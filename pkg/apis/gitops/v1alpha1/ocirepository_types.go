package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// OCIRepositoryKind is the kind name of OCIRepository.
const OCIRepositoryKind = "OCIRepository"

// Values of the provider field of OCI-based sources (OCIRepository,
// HelmRepository of type oci, Bucket, ImageRepository).
const (
	// CloudProviderGeneric uses static credentials from a Secret, or none.
	CloudProviderGeneric = "generic"
	// CloudProviderAWS uses AWS workload identity.
	CloudProviderAWS = "aws"
	// CloudProviderAzure uses Azure workload identity.
	CloudProviderAzure = "azure"
	// CloudProviderGCP uses Google Cloud workload identity.
	CloudProviderGCP = "gcp"
)

// OCILayerOperation says what to do with the selected layer of an OCI artifact.
// +enum
type OCILayerOperation string

const (
	// OCILayerExtract unpacks the layer (a tarball) into the artifact.
	OCILayerExtract OCILayerOperation = "extract"
	// OCILayerCopy stores the layer as it is.
	OCILayerCopy OCILayerOperation = "copy"
)

// Values of the provider field of signature verification.
const (
	VerificationProviderCosign   = "cosign"
	VerificationProviderNotation = "notation"
)

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// OCIRepository turns an OCI artifact from a container registry into an
// artifact that appliers consume.
type OCIRepository struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   OCIRepositorySpec   `json:"spec,omitempty"`
	Status OCIRepositoryStatus `json:"status,omitempty"`
}

// OCIRepositorySpec is the desired state of an OCIRepository.
type OCIRepositorySpec struct {
	// URL of the artifact repository, oci://<registry>/<repository>.
	URL string `json:"url"`
	// Reference says which tag, version range or digest to pull; the
	// 'latest' tag when unset.
	// +optional
	Reference *OCIRepositoryRef `json:"ref,omitempty"`
	// LayerSelector picks the layer to use; the first layer when unset.
	// +optional
	LayerSelector *OCILayerSelector `json:"layerSelector,omitempty"`
	// Provider selects how to authenticate: generic (default), aws, azure or gcp.
	// +optional
	Provider string `json:"provider,omitempty"`
	// SecretRef names a kubernetes.io/dockerconfigjson Secret with registry credentials.
	// +optional
	SecretRef *LocalObjectReference `json:"secretRef,omitempty"`
	// Verify asks for the artifact's signature to be checked.
	// +optional
	Verify *OCIRepositoryVerification `json:"verify,omitempty"`
	// ServiceAccountName names a ServiceAccount whose image pull secrets are used.
	// +optional
	ServiceAccountName string `json:"serviceAccountName,omitempty"`
	// CertSecretRef names a Secret with TLS material: tls.crt and tls.key
	// for client authentication, ca.crt to trust a private CA.
	// +optional
	CertSecretRef *LocalObjectReference `json:"certSecretRef,omitempty"`
	// ProxySecretRef names a Secret with the proxy (address, username, password).
	// +optional
	ProxySecretRef *LocalObjectReference `json:"proxySecretRef,omitempty"`
	// Interval between checks of the registry for a new artifact.
	Interval Duration `json:"interval"`
	// Timeout for registry operations; defaults to 60s.
	// +optional
	Timeout *Duration `json:"timeout,omitempty"`
	// Ignore holds .sourceignore-style patterns of files to leave out of the
	// artifact, replacing the defaults.
	// +optional
	Ignore *string `json:"ignore,omitempty"`
	// Insecure allows plain HTTP to the registry.
	// +optional
	Insecure bool `json:"insecure,omitempty"`
	// Suspend stops reconciliation until it is set to false again.
	// +optional
	Suspend bool `json:"suspend,omitempty"`
}

// OCIRepositoryRef says which artifact version to pull. Digest wins over
// SemVer, which wins over Tag.
type OCIRepositoryRef struct {
	// Digest to pull, as 'sha256:<hex>'.
	// +optional
	Digest string `json:"digest,omitempty"`
	// SemVer is a version range; the highest matching tag is pulled.
	// +optional
	SemVer string `json:"semver,omitempty"`
	// SemverFilter is a regular expression that tags must match to be
	// considered by SemVer.
	// +optional
	SemverFilter string `json:"semverFilter,omitempty"`
	// Tag to pull; 'latest' by default.
	// +optional
	Tag string `json:"tag,omitempty"`
}

// OCILayerSelector picks one layer of an OCI artifact.
type OCILayerSelector struct {
	// MediaType of the layer; the first layer with this type is used.
	// +optional
	MediaType string `json:"mediaType,omitempty"`
	// Operation is extract (default) or copy.
	// +optional
	Operation OCILayerOperation `json:"operation,omitempty"`
}

// OCIRepositoryVerification configures signature verification of an OCI artifact.
type OCIRepositoryVerification struct {
	// Provider is the signing technology: cosign (default) or notation.
	Provider string `json:"provider"`
	// SecretRef names a Secret with the trusted public keys.
	// +optional
	SecretRef *LocalObjectReference `json:"secretRef,omitempty"`
	// MatchOIDCIdentity accepts keyless cosign signatures whose certificate
	// identity matches any entry.
	// +listType=atomic
	// +optional
	MatchOIDCIdentity []OIDCIdentityMatch `json:"matchOIDCIdentity,omitempty"`
	// TrustedRootSecretRef names a Secret with a Sigstore trusted_root.json,
	// for self-hosted Sigstore infrastructure.
	// +optional
	TrustedRootSecretRef *LocalObjectReference `json:"trustedRootSecretRef,omitempty"`
}

// OIDCIdentityMatch matches the issuer and subject of a keyless signing
// certificate with Go regular expressions.
type OIDCIdentityMatch struct {
	// Issuer is a regular expression for the OIDC issuer.
	Issuer string `json:"issuer"`
	// Subject is a regular expression for the identity subject.
	Subject string `json:"subject"`
}

// OCIRepositoryStatus is the observed state of an OCIRepository.
type OCIRepositoryStatus struct {
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
	// ObservedLayerSelector is the layer selector the artifact was built with.
	// +optional
	ObservedLayerSelector *OCILayerSelector `json:"observedLayerSelector,omitempty"`

	ReconcileRequestStatus `json:",inline"`
	OwnerStatus            `json:",inline"`
}

// GetConditions returns the status conditions.
func (in *OCIRepository) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the status conditions.
func (in *OCIRepository) SetConditions(conditions []metav1.Condition) {
	in.Status.Conditions = conditions
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// OCIRepositoryList is a list of OCIRepositories.
type OCIRepositoryList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []OCIRepository `json:"items"`
}

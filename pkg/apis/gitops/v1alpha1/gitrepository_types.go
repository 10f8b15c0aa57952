package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// GitRepositoryKind is the kind name of GitRepository.
const GitRepositoryKind = "GitRepository"

// Values of GitRepositorySpec.Provider.
const (
	// GitProviderGeneric authenticates with the credentials in spec.secretRef.
	GitProviderGeneric = "generic"
	// GitProviderAzure authenticates to Azure DevOps with workload identity.
	GitProviderAzure = "azure"
	// GitProviderGitHub authenticates as a GitHub App.
	GitProviderGitHub = "github"
	// GitProviderAWS authenticates to AWS CodeCommit with IAM.
	GitProviderAWS = "aws"
)

// GitVerificationMode says which Git objects must carry a trusted signature.
// +enum
type GitVerificationMode string

const (
	// GitVerifyHEAD verifies the commit that was checked out.
	GitVerifyHEAD GitVerificationMode = "HEAD"
	// GitVerifyHEADLowercase is the older spelling of GitVerifyHEAD, still accepted.
	GitVerifyHEADLowercase GitVerificationMode = "head"
	// GitVerifyTag verifies the annotated tag that was checked out.
	GitVerifyTag GitVerificationMode = "Tag"
	// GitVerifyTagAndHEAD verifies the tag and the commit it points to.
	GitVerifyTagAndHEAD GitVerificationMode = "TagAndHEAD"
)

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// GitRepository turns one revision of a Git repository into an artifact that
// appliers (Kustomization, HelmChart) consume.
type GitRepository struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   GitRepositorySpec   `json:"spec,omitempty"`
	Status GitRepositoryStatus `json:"status,omitempty"`
}

// GitRepositorySpec is the desired state of a GitRepository.
type GitRepositorySpec struct {
	// URL of the repository: http://, https://, ssh:// or file://.
	URL string `json:"url"`
	// SecretRef names a Secret with credentials: username and password or
	// bearerToken for HTTP(S); identity and known_hosts for SSH.
	// +optional
	SecretRef *LocalObjectReference `json:"secretRef,omitempty"`
	// Provider selects how to authenticate: generic (default), aws, azure or github.
	// +optional
	Provider string `json:"provider,omitempty"`
	// ServiceAccountName is used for workload identity; only with the
	// azure and aws providers.
	// +optional
	ServiceAccountName string `json:"serviceAccountName,omitempty"`
	// Interval between checks of the remote for new commits.
	Interval Duration `json:"interval"`
	// Timeout for Git operations such as clone; defaults to 60s.
	// +optional
	Timeout *Duration `json:"timeout,omitempty"`
	// Reference to check out; without one the reconciler uses the 'master' branch.
	// +optional
	Reference *GitRepositoryRef `json:"ref,omitempty"`
	// Verification asks for commit or tag signatures to be checked.
	// +optional
	Verification *GitRepositoryVerification `json:"verify,omitempty"`
	// ProxySecretRef names a Secret with the proxy (address, username, password).
	// +optional
	ProxySecretRef *LocalObjectReference `json:"proxySecretRef,omitempty"`
	// Ignore holds .sourceignore-style patterns of files to leave out of the
	// artifact, replacing the defaults.
	// +optional
	Ignore *string `json:"ignore,omitempty"`
	// Suspend stops reconciliation until it is set to false again.
	// +optional
	Suspend bool `json:"suspend,omitempty"`
	// RecurseSubmodules also checks out submodules.
	// +optional
	RecurseSubmodules bool `json:"recurseSubmodules,omitempty"`
	// Include copies the artifacts of other GitRepositories into this one.
	// +listType=atomic
	// +optional
	Include []GitRepositoryInclude `json:"include,omitempty"`
	// SparseCheckout limits the checkout (and the artifact) to these directories.
	// +listType=atomic
	// +optional
	SparseCheckout []string `json:"sparseCheckout,omitempty"`
}

// GitRepositoryRef says which Git reference to check out. When several
// fields are set the most specific wins: commit, then name, semver, tag, branch.
type GitRepositoryRef struct {
	// Branch to check out; 'master' when no field is set.
	// +optional
	Branch string `json:"branch,omitempty"`
	// Tag to check out.
	// +optional
	Tag string `json:"tag,omitempty"`
	// SemVer is a version range; the highest matching tag is checked out.
	// +optional
	SemVer string `json:"semver,omitempty"`
	// Name is a full reference such as refs/heads/main or refs/pull/42/head.
	// +optional
	Name string `json:"name,omitempty"`
	// Commit SHA to check out; with Branch, the branch is cloned shallowly
	// and must contain the commit.
	// +optional
	Commit string `json:"commit,omitempty"`
}

// GitRepositoryVerification configures signature verification.
type GitRepositoryVerification struct {
	// Mode says what to verify: HEAD (default), Tag or TagAndHEAD.
	// +optional
	Mode GitVerificationMode `json:"mode,omitempty"`
	// SecretRef names a Secret with the trusted public keys (PGP keys under
	// *.asc keys, SSH keys under *.sshpub keys).
	SecretRef LocalObjectReference `json:"secretRef"`
}

// GitRepositoryInclude copies (part of) another GitRepository's artifact
// into this one.
type GitRepositoryInclude struct {
	// GitRepositoryRef names the GitRepository to include.
	GitRepositoryRef LocalObjectReference `json:"repository"`
	// FromPath is the directory to copy from; the artifact root by default.
	// +optional
	FromPath string `json:"fromPath,omitempty"`
	// ToPath is the directory to copy to; the included repository's name by default.
	// +optional
	ToPath string `json:"toPath,omitempty"`
}

// GitRepositoryStatus is the observed state of a GitRepository.
type GitRepositoryStatus struct {
	// ObservedGeneration is the generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Conditions are Ready, Reconciling, Stalled and source-specific ones.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
	// Artifact is the output of the last successful reconciliation.
	// +optional
	Artifact *Artifact `json:"artifact,omitempty"`
	// IncludedArtifacts are the artifacts included through spec.include.
	// +listType=atomic
	// +optional
	IncludedArtifacts []Artifact `json:"includedArtifacts,omitempty"`
	// ObservedIgnore is the ignore setting the artifact was built with.
	// +optional
	ObservedIgnore *string `json:"observedIgnore,omitempty"`
	// ObservedRecurseSubmodules is the submodule setting the artifact was built with.
	// +optional
	ObservedRecurseSubmodules bool `json:"observedRecurseSubmodules,omitempty"`
	// ObservedInclude is the include list the artifact was built with.
	// +listType=atomic
	// +optional
	ObservedInclude []GitRepositoryInclude `json:"observedInclude,omitempty"`
	// ObservedSparseCheckout is the sparse checkout the artifact was built with.
	// +listType=atomic
	// +optional
	ObservedSparseCheckout []string `json:"observedSparseCheckout,omitempty"`
	// SourceVerificationMode is the verification last applied.
	// +optional
	SourceVerificationMode *GitVerificationMode `json:"sourceVerificationMode,omitempty"`

	ReconcileRequestStatus `json:",inline"`
	OwnerStatus            `json:",inline"`
}

// GetConditions returns the status conditions.
func (in *GitRepository) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the status conditions.
func (in *GitRepository) SetConditions(conditions []metav1.Condition) {
	in.Status.Conditions = conditions
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// GitRepositoryList is a list of GitRepositories.
type GitRepositoryList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []GitRepository `json:"items"`
}

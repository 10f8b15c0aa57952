package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// KustomizationKind is the kind name of Kustomization.
const KustomizationKind = "Kustomization"

// KustomizationDeletionPolicy says what happens to applied objects when the
// Kustomization is deleted.
// +enum
type KustomizationDeletionPolicy string

const (
	// DeletionPolicyMirrorPrune deletes them when spec.prune is true and
	// orphans them otherwise; the reconciler's choice when unset.
	DeletionPolicyMirrorPrune KustomizationDeletionPolicy = "MirrorPrune"
	// DeletionPolicyDelete deletes them.
	DeletionPolicyDelete KustomizationDeletionPolicy = "Delete"
	// DeletionPolicyWaitForTermination deletes them and waits until they are gone.
	DeletionPolicyWaitForTermination KustomizationDeletionPolicy = "WaitForTermination"
	// DeletionPolicyOrphan leaves them in the cluster.
	DeletionPolicyOrphan KustomizationDeletionPolicy = "Orphan"
)

// BuildMetadataOption names kustomize build metadata to add to built objects.
// +enum
type BuildMetadataOption string

const (
	// BuildMetadataOriginAnnotations records the file each object came from.
	BuildMetadataOriginAnnotations BuildMetadataOption = "originAnnotations"
	// BuildMetadataTransformerAnnotations records the transformers that changed each object.
	BuildMetadataTransformerAnnotations BuildMetadataOption = "transformerAnnotations"
)

// SubstituteStrategy says when post-build variable substitution runs.
// +enum
type SubstituteStrategy string

const (
	// SubstituteStrategyWithVariables substitutes only when at least one
	// variable is defined; the reconciler's choice when unset.
	SubstituteStrategyWithVariables SubstituteStrategy = "WithVariables"
	// SubstituteStrategyAlways substitutes even without variables, so that
	// defaults such as ${var:=default} take effect.
	SubstituteStrategyAlways SubstituteStrategy = "Always"
)

// DecryptionProviderSOPS is the only decryption provider.
const DecryptionProviderSOPS = "sops"

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// Kustomization builds a directory of a source artifact with kustomize and
// applies the result to the cluster, pruning what disappeared.
type Kustomization struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   KustomizationSpec   `json:"spec,omitempty"`
	Status KustomizationStatus `json:"status,omitempty"`
}

// KustomizationSpec is the desired state of a Kustomization.
type KustomizationSpec struct {
	// CommonMetadata is added to every applied object.
	// +optional
	CommonMetadata *CommonMetadata `json:"commonMetadata,omitempty"`
	// DependsOn lists Kustomizations that must be ready first.
	// +listType=atomic
	// +optional
	DependsOn []DependencyReference `json:"dependsOn,omitempty"`
	// Decryption decrypts SOPS-encrypted Secrets before applying them.
	// +optional
	Decryption *Decryption `json:"decryption,omitempty"`
	// Interval between reconciliations.
	Interval Duration `json:"interval"`
	// RetryInterval between attempts after a failure; Interval when unset.
	// +optional
	RetryInterval *Duration `json:"retryInterval,omitempty"`
	// KubeConfig applies to a remote cluster instead of this one.
	// +optional
	KubeConfig *KubeConfigReference `json:"kubeConfig,omitempty"`
	// Path of the directory to build, relative to the artifact root; the
	// root when empty. A kustomization.yaml is generated when missing.
	// +optional
	Path string `json:"path,omitempty"`
	// PostBuild substitutes variables in the built manifests.
	// +optional
	PostBuild *PostBuild `json:"postBuild,omitempty"`
	// Prune deletes objects that were applied before but are no longer
	// built. Required, so that the choice is always explicit.
	Prune *bool `json:"prune"`
	// DeletionPolicy is MirrorPrune (the default), Delete, WaitForTermination or Orphan.
	// +optional
	DeletionPolicy KustomizationDeletionPolicy `json:"deletionPolicy,omitempty"`
	// HealthChecks lists objects whose health is part of this Kustomization's readiness.
	// +listType=atomic
	// +optional
	HealthChecks []NamespacedObjectKindReference `json:"healthChecks,omitempty"`
	// NamePrefix is prepended to the names of all built objects.
	// +optional
	NamePrefix string `json:"namePrefix,omitempty"`
	// NameSuffix is appended to the names of all built objects.
	// +optional
	NameSuffix string `json:"nameSuffix,omitempty"`
	// Patches are applied to the built objects.
	// +listType=atomic
	// +optional
	Patches []Patch `json:"patches,omitempty"`
	// Images replace image names, tags or digests in the built objects.
	// +listType=atomic
	// +optional
	Images []Image `json:"images,omitempty"`
	// ServiceAccountName is impersonated when applying.
	// +optional
	ServiceAccountName string `json:"serviceAccountName,omitempty"`
	// SourceRef names the GitRepository, OCIRepository or Bucket to build from.
	SourceRef CrossNamespaceSourceReference `json:"sourceRef"`
	// Suspend stops future reconciliations until it is set to false again.
	// +optional
	Suspend bool `json:"suspend,omitempty"`
	// TargetNamespace sets the namespace of all namespaced built objects.
	// +optional
	TargetNamespace string `json:"targetNamespace,omitempty"`
	// Timeout for applying and health checking; derived from Interval when unset.
	// +optional
	Timeout *Duration `json:"timeout,omitempty"`
	// Force recreates objects whose immutable fields changed.
	// +optional
	Force bool `json:"force,omitempty"`
	// Wait checks the health of every applied object (HealthChecks are then ignored).
	// +optional
	Wait bool `json:"wait,omitempty"`
	// BuildMetadata adds kustomize build annotations to the built objects.
	// +listType=atomic
	// +optional
	BuildMetadata []BuildMetadataOption `json:"buildMetadata,omitempty"`
	// Components are paths of kustomize Components, relative to Path.
	// +listType=atomic
	// +optional
	Components []string `json:"components,omitempty"`
	// IgnoreMissingComponents drops Components that do not exist instead of failing.
	// +optional
	IgnoreMissingComponents bool `json:"ignoreMissingComponents,omitempty"`
	// HealthCheckExprs say with CEL how to read the health of custom resources.
	// +listType=atomic
	// +optional
	HealthCheckExprs []CustomHealthCheck `json:"healthCheckExprs,omitempty"`
	// Ignore lists fields that drift detection and apply leave alone.
	// +listType=atomic
	// +optional
	Ignore []IgnoreRule `json:"ignore,omitempty"`
}

// Decryption says how to decrypt encrypted manifests.
type Decryption struct {
	// Provider of the decryption: sops.
	Provider string `json:"provider"`
	// ServiceAccountName is used to authenticate to cloud KMS services.
	// +optional
	ServiceAccountName string `json:"serviceAccountName,omitempty"`
	// SecretRef names a Secret with private keys or KMS credentials.
	// +optional
	SecretRef *LocalObjectReference `json:"secretRef,omitempty"`
}

// PostBuild substitutes ${var} expressions in the built manifests.
type PostBuild struct {
	// SubstituteStrategy is WithVariables (the default) or Always.
	// +optional
	SubstituteStrategy SubstituteStrategy `json:"substituteStrategy,omitempty"`
	// Substitute maps variable names to values.
	// +optional
	Substitute map[string]string `json:"substitute,omitempty"`
	// SubstituteFrom reads variables from ConfigMaps and Secrets; later
	// entries win, Substitute wins over all.
	// +listType=atomic
	// +optional
	SubstituteFrom []SubstituteReference `json:"substituteFrom,omitempty"`
}

// SubstituteReference names a ConfigMap or Secret whose keys are variables.
type SubstituteReference struct {
	// Kind is ConfigMap or Secret.
	Kind string `json:"kind"`
	// Name of the object, in the Kustomization's namespace.
	Name string `json:"name"`
	// Optional treats a missing object as empty instead of failing.
	// +optional
	Optional bool `json:"optional,omitempty"`
}

// KustomizationStatus is the observed state of a Kustomization.
type KustomizationStatus struct {
	ReconcileRequestStatus `json:",inline"`
	OwnerStatus            `json:",inline"`

	// ObservedGeneration is the generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Conditions are Ready, Reconciling, Stalled and Healthy.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
	// LastAppliedRevision is the source revision last applied successfully.
	// +optional
	LastAppliedRevision string `json:"lastAppliedRevision,omitempty"`
	// LastAppliedOriginRevision is the origin revision (for example the Git
	// commit an OCI artifact was built from) last applied successfully.
	// +optional
	LastAppliedOriginRevision string `json:"lastAppliedOriginRevision,omitempty"`
	// LastAttemptedRevision is the source revision of the last attempt.
	// +optional
	LastAttemptedRevision string `json:"lastAttemptedRevision,omitempty"`
	// Inventory lists the applied objects, for pruning.
	// +optional
	Inventory *ResourceInventory `json:"inventory,omitempty"`
	// History records the latest reconciliations, most recent first.
	// +listType=atomic
	// +optional
	History []ReconcileSnapshot `json:"history,omitempty"`
}

// ReconcileSnapshot records reconciliations of one set of manifests.
type ReconcileSnapshot struct {
	// Digest of the applied manifests, '<algorithm>:<hex>'.
	Digest string `json:"digest"`
	// FirstReconciled is when this digest was first reconciled.
	FirstReconciled metav1.Time `json:"firstReconciled"`
	// LastReconciled is when this digest was last reconciled.
	LastReconciled metav1.Time `json:"lastReconciled"`
	// LastReconciledDuration is how long the last reconciliation took.
	LastReconciledDuration Duration `json:"lastReconciledDuration"`
	// LastReconciledStatus is the outcome of the last reconciliation.
	LastReconciledStatus string `json:"lastReconciledStatus"`
	// TotalReconciliations counts the reconciliations of this digest.
	TotalReconciliations int64 `json:"totalReconciliations"`
	// Metadata holds extra facts such as the source revision.
	// +optional
	Metadata map[string]string `json:"metadata,omitempty"`
}

// GetConditions returns the status conditions.
func (in *Kustomization) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the status conditions.
func (in *Kustomization) SetConditions(conditions []metav1.Condition) {
	in.Status.Conditions = conditions
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// KustomizationList is a list of Kustomizations.
type KustomizationList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []Kustomization `json:"items"`
}

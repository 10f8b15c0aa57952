package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Condition types shared by all kinds. They follow kstatus, so
// `kubectl wait --for=condition=Ready` and kstatus-based tools understand them.
const (
	// ReadyCondition is True once the latest generation has been reconciled successfully.
	ReadyCondition = "Ready"
	// ReconcilingCondition is present (and True) only while a reconciliation is in progress.
	ReconcilingCondition = "Reconciling"
	// StalledCondition is present (and True) only when retrying will not help
	// until the object or its environment changes.
	StalledCondition = "Stalled"
	// HealthyCondition records the result of the last health assessment.
	HealthyCondition = "Healthy"
)

// Annotations that ask for a reconciliation outside the interval. The value
// is an opaque token: any change of it is a new request.
const (
	// ReconcileRequestAnnotation is Flux's annotation, honoured so that
	// `flux reconcile` style tooling keeps working.
	ReconcileRequestAnnotation = "reconcile.fluxcd.io/requestedAt"
	// GitOpsReconcileRequestAnnotation is this group's own spelling of the request.
	GitOpsReconcileRequestAnnotation = "gitops.io/requestedAt"
	// ForceRequestAnnotation asks for a one-off forced action (for example a
	// Helm upgrade without changes); it only counts when its value equals the
	// reconcile request token.
	ForceRequestAnnotation = "reconcile.fluxcd.io/forceAt"
	// ResetRequestAnnotation asks a HelmRelease to reset its failure counters;
	// like ForceRequestAnnotation it must match the reconcile request token.
	ResetRequestAnnotation = "reconcile.fluxcd.io/resetAt"
)

// LocalObjectReference names an object in the namespace of the referrer.
type LocalObjectReference struct {
	// Name of the referenced object.
	Name string `json:"name"`
}

// NamespacedObjectReference names an object that may live in another namespace.
type NamespacedObjectReference struct {
	// Name of the referenced object.
	Name string `json:"name"`
	// Namespace of the referenced object; empty means the referrer's namespace.
	// +optional
	Namespace string `json:"namespace,omitempty"`
}

// NamespacedObjectKindReference names an object of any kind, in any namespace.
type NamespacedObjectKindReference struct {
	// APIVersion of the referenced object; empty means the preferred version.
	// +optional
	APIVersion string `json:"apiVersion,omitempty"`
	// Kind of the referenced object.
	Kind string `json:"kind"`
	// Name of the referenced object.
	Name string `json:"name"`
	// Namespace of the referenced object; empty means the referrer's namespace.
	// +optional
	Namespace string `json:"namespace,omitempty"`
}

// SecretKeyReference names a Secret in the referrer's namespace and,
// optionally, one key in it.
type SecretKeyReference struct {
	// Name of the Secret.
	Name string `json:"name"`
	// Key in the Secret; empty means the consumer's documented default key.
	// +optional
	Key string `json:"key,omitempty"`
}

// CrossNamespaceSourceReference points at a source object, possibly in
// another namespace. Which kinds are allowed depends on the referrer.
type CrossNamespaceSourceReference struct {
	// APIVersion of the source; empty means gitops.io/v1alpha1.
	// +optional
	APIVersion string `json:"apiVersion,omitempty"`
	// Kind of the source.
	Kind string `json:"kind"`
	// Name of the source.
	Name string `json:"name"`
	// Namespace of the source; empty means the referrer's namespace.
	// +optional
	Namespace string `json:"namespace,omitempty"`
}

// DependencyReference names an object that must be ready before the
// referrer is reconciled.
type DependencyReference struct {
	// Kind of the dependency: Kustomization, GitRepository, OCIRepository,
	// HelmRepository, HelmChart or Bucket; empty means the referrer's own
	// kind, as in Flux.
	// +optional
	Kind string `json:"kind,omitempty"`
	// Name of the dependency.
	Name string `json:"name"`
	// Namespace of the dependency; empty means the referrer's namespace.
	// +optional
	Namespace string `json:"namespace,omitempty"`
	// ReadyExpr is a CEL expression that decides readiness of the dependency
	// instead of its Ready condition.
	// +optional
	ReadyExpr string `json:"readyExpr,omitempty"`
}

// KubeConfigReference says where to find credentials for a remote cluster.
// Exactly one of ConfigMapRef and SecretRef must be set.
type KubeConfigReference struct {
	// ConfigMapRef names a ConfigMap describing the cluster for workload
	// identity (keys provider, cluster, address, ca.crt, audiences,
	// serviceAccountName).
	// +optional
	ConfigMapRef *LocalObjectReference `json:"configMapRef,omitempty"`
	// SecretRef names a Secret holding a self-contained kubeconfig; the key
	// defaults to "value".
	// +optional
	SecretRef *SecretKeyReference `json:"secretRef,omitempty"`
}

// AccessFrom lists which namespaces may reference an object across
// namespaces. A namespace is allowed when any selector matches its labels.
type AccessFrom struct {
	// NamespaceSelectors are ORed together.
	// +listType=atomic
	NamespaceSelectors []NamespaceSelector `json:"namespaceSelectors"`
}

// NamespaceSelector matches namespaces by label; empty matches every namespace.
type NamespaceSelector struct {
	// MatchLabels must all be present with the given values.
	// +optional
	MatchLabels map[string]string `json:"matchLabels,omitempty"`
}

// Artifact describes the tarball a source reconciliation produced.
type Artifact struct {
	// Digest of the file as '<algorithm>:<checksum>'.
	Digest string `json:"digest,omitempty"`
	// Path of the file relative to the artifact storage root.
	Path string `json:"path"`
	// URL the artifact can be fetched from.
	URL string `json:"url"`
	// Revision as people know it in the origin: a Git commit such as
	// 'main@sha1:<sha>', a chart version, an OCI digest.
	Revision string `json:"revision"`
	// LastUpdateTime is when the artifact last changed.
	LastUpdateTime metav1.Time `json:"lastUpdateTime"`
	// Size of the file in bytes.
	// +optional
	Size *int64 `json:"size,omitempty"`
	// Metadata carries upstream annotations, such as OCI annotations.
	// +optional
	Metadata map[string]string `json:"metadata,omitempty"`
}

// ReconcileRequestStatus is embedded in statuses to record the last
// reconcile request token that was acted upon.
type ReconcileRequestStatus struct {
	// LastHandledReconcileAt is the last value of the reconcile request
	// annotation that was handled, so a new value can be told apart.
	// +optional
	LastHandledReconcileAt string `json:"lastHandledReconcileAt,omitempty"`
}

// ResourceInventory lists the objects an applier has applied, so the ones
// that disappear from the source can be pruned.
type ResourceInventory struct {
	// Entries are the applied objects.
	// +listType=atomic
	Entries []ResourceRef `json:"entries"`
}

// ResourceRef identifies one applied object.
type ResourceRef struct {
	// ID is '<namespace>_<name>_<group>_<kind>'.
	ID string `json:"id"`
	// Version is the API version the object was applied with.
	Version string `json:"v"`
}

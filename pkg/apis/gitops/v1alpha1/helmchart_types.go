package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// HelmChartKind is the kind name of HelmChart.
const HelmChartKind = "HelmChart"

// HelmChartReconcileStrategy says what makes a HelmChart produce a new artifact.
// +enum
type HelmChartReconcileStrategy string

const (
	// ReconcileStrategyChartVersion builds a new artifact when the chart version changes.
	ReconcileStrategyChartVersion HelmChartReconcileStrategy = "ChartVersion"
	// ReconcileStrategyRevision builds a new artifact when the source revision changes.
	ReconcileStrategyRevision HelmChartReconcileStrategy = "Revision"
)

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// HelmChart packages one chart from a HelmRepository, GitRepository or
// Bucket into an artifact that HelmReleases install.
type HelmChart struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   HelmChartSpec   `json:"spec,omitempty"`
	Status HelmChartStatus `json:"status,omitempty"`
}

// HelmChartSpec is the desired state of a HelmChart.
type HelmChartSpec struct {
	// Chart is the chart name in a HelmRepository, or its path in a
	// GitRepository or Bucket.
	Chart string `json:"chart"`
	// Version is a semver range; the highest matching version is used.
	// Defaults to '*'. Ignored for GitRepository and Bucket sources.
	// +optional
	Version string `json:"version,omitempty"`
	// SourceRef names the HelmRepository, GitRepository or Bucket holding the chart.
	SourceRef LocalHelmChartSourceReference `json:"sourceRef"`
	// Interval between checks of the source for a new chart.
	Interval Duration `json:"interval"`
	// ReconcileStrategy is ChartVersion (default) or Revision.
	// +optional
	ReconcileStrategy HelmChartReconcileStrategy `json:"reconcileStrategy,omitempty"`
	// ValuesFiles are paths in the source merged, later over earlier, into
	// the chart's default values; values.yaml is only used when listed.
	// +listType=atomic
	// +optional
	ValuesFiles []string `json:"valuesFiles,omitempty"`
	// IgnoreMissingValuesFiles skips missing ValuesFiles instead of failing.
	// +optional
	IgnoreMissingValuesFiles bool `json:"ignoreMissingValuesFiles,omitempty"`
	// Suspend stops reconciliation until it is set to false again.
	// +optional
	Suspend bool `json:"suspend,omitempty"`
	// Verify asks for the chart's signature to be checked; only for
	// HelmRepositories of type oci.
	// +optional
	Verify *HelmChartVerification `json:"verify,omitempty"`
}

// LocalHelmChartSourceReference names the source of a chart in the
// HelmChart's namespace.
type LocalHelmChartSourceReference struct {
	// APIVersion of the source; empty means gitops.io/v1alpha1.
	// +optional
	APIVersion string `json:"apiVersion,omitempty"`
	// Kind is HelmRepository, GitRepository or Bucket.
	Kind string `json:"kind"`
	// Name of the source.
	Name string `json:"name"`
}

// HelmChartVerification configures signature verification of an OCI chart.
type HelmChartVerification struct {
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
}

// HelmChartStatus is the observed state of a HelmChart.
type HelmChartStatus struct {
	// ObservedGeneration is the generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// ObservedSourceArtifactRevision is the source revision the chart was built from.
	// +optional
	ObservedSourceArtifactRevision string `json:"observedSourceArtifactRevision,omitempty"`
	// ObservedChartName is the chart name the reference resolved to.
	// +optional
	ObservedChartName string `json:"observedChartName,omitempty"`
	// ObservedValuesFiles are the values files of the last successful build.
	// +listType=atomic
	// +optional
	ObservedValuesFiles []string `json:"observedValuesFiles,omitempty"`
	// Conditions are Ready, Reconciling, Stalled and source-specific ones.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
	// URL to download the latest chart artifact from.
	// +optional
	URL string `json:"url,omitempty"`
	// Artifact is the packaged chart of the last successful reconciliation.
	// +optional
	Artifact *Artifact `json:"artifact,omitempty"`

	ReconcileRequestStatus `json:",inline"`
	OwnerStatus            `json:",inline"`
}

// GetConditions returns the status conditions.
func (in *HelmChart) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the status conditions.
func (in *HelmChart) SetConditions(conditions []metav1.Condition) {
	in.Status.Conditions = conditions
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// HelmChartList is a list of HelmCharts.
type HelmChartList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []HelmChart `json:"items"`
}

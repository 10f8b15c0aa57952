package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// HelmReleaseKind is the kind name of HelmRelease.
const HelmReleaseKind = "HelmRelease"

// ReleasedCondition says whether the last Helm action on the release
// (install, upgrade) succeeded.
const ReleasedCondition = "Released"

// RemediatedCondition says whether the remediation of a failed install or
// upgrade (rollback, uninstall) succeeded; it is never a success of the
// release itself.
const RemediatedCondition = "Remediated"

// TestSuccessCondition says whether the chart's tests passed against the
// current release; only when tests are enabled.
const TestSuccessCondition = "TestSuccess"

// DriftedCondition says whether the cluster's objects of the release differ
// from its manifest, as drift detection last found them.
const DriftedCondition = "Drifted"

// DriftDetectionMode says what happens when cluster objects drift from the release.
// +enum
type DriftDetectionMode string

const (
	// DriftDetectionEnabled corrects drift by applying the drifted objects again.
	DriftDetectionEnabled DriftDetectionMode = "enabled"
	// DriftDetectionWarn only reports drift.
	DriftDetectionWarn DriftDetectionMode = "warn"
	// DriftDetectionDisabled does not look for drift; the reconciler's choice when unset.
	DriftDetectionDisabled DriftDetectionMode = "disabled"
)

// PostRenderStrategy says how Helm hooks reach post-renderers.
// +enum
type PostRenderStrategy string

const (
	// PostRenderStrategyNoHooks keeps hooks away from post-renderers (Helm 3 behaviour).
	PostRenderStrategyNoHooks PostRenderStrategy = "nohooks"
	// PostRenderStrategyCombined sends hooks and templates together (Helm 4 default).
	PostRenderStrategyCombined PostRenderStrategy = "combined"
	// PostRenderStrategySeparate sends hooks and templates as separate streams.
	PostRenderStrategySeparate PostRenderStrategy = "separate"
)

// WaitStrategyName names how Helm waits for applied objects to become ready.
// +enum
type WaitStrategyName string

const (
	// WaitStrategyPoller polls object status with kstatus.
	WaitStrategyPoller WaitStrategyName = "poller"
	// WaitStrategyLegacy uses Helm 3's waiting logic.
	WaitStrategyLegacy WaitStrategyName = "legacy"
)

// ValuesReferenceKind values.
const (
	ValuesKindConfigMap = "ConfigMap"
	ValuesKindSecret    = "Secret"
)

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// HelmRelease installs a Helm chart into the cluster and keeps the release
// up to date with its chart and values.
type HelmRelease struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   HelmReleaseSpec   `json:"spec,omitempty"`
	Status HelmReleaseStatus `json:"status,omitempty"`
}

// HelmReleaseSpec is the desired state of a HelmRelease. Exactly one of
// Chart and ChartRef must be set.
type HelmReleaseSpec struct {
	// Chart is a template of the HelmChart to create for this release.
	// +optional
	Chart *HelmChartTemplate `json:"chart,omitempty"`
	// ChartRef names an OCIRepository or HelmChart holding the chart.
	// +optional
	ChartRef *CrossNamespaceSourceReference `json:"chartRef,omitempty"`
	// Interval between reconciliations.
	Interval Duration `json:"interval"`
	// KubeConfig installs into a remote cluster instead of this one.
	// +optional
	KubeConfig *KubeConfigReference `json:"kubeConfig,omitempty"`
	// Suspend stops future reconciliations until it is set to false again.
	// +optional
	Suspend bool `json:"suspend,omitempty"`
	// ReleaseName is the Helm release name; '[TargetNamespace-]Name' by default.
	// +optional
	ReleaseName string `json:"releaseName,omitempty"`
	// TargetNamespace to install into; the HelmRelease's namespace by default.
	// +optional
	TargetNamespace string `json:"targetNamespace,omitempty"`
	// StorageNamespace for the Helm release storage; the HelmRelease's namespace by default.
	// +optional
	StorageNamespace string `json:"storageNamespace,omitempty"`
	// DependsOn lists HelmReleases that must be ready first.
	// +listType=atomic
	// +optional
	DependsOn []DependencyReference `json:"dependsOn,omitempty"`
	// Timeout for each Kubernetes operation of a Helm action; 5m by default.
	// +optional
	Timeout *Duration `json:"timeout,omitempty"`
	// MaxHistory is the number of release revisions Helm keeps; 0 means
	// unlimited, 5 by default.
	// +optional
	MaxHistory *int32 `json:"maxHistory,omitempty"`
	// ServiceAccountName is impersonated when installing.
	// +optional
	ServiceAccountName string `json:"serviceAccountName,omitempty"`
	// PersistentClient reuses one Kubernetes client for a whole
	// reconciliation; true by default.
	// +optional
	PersistentClient *bool `json:"persistentClient,omitempty"`
	// DriftDetection compares the release manifest with the cluster.
	// +optional
	DriftDetection *DriftDetection `json:"driftDetection,omitempty"`
	// Install configures Helm install.
	// +optional
	Install *Install `json:"install,omitempty"`
	// Upgrade configures Helm upgrade.
	// +optional
	Upgrade *Upgrade `json:"upgrade,omitempty"`
	// Test configures Helm test.
	// +optional
	Test *Test `json:"test,omitempty"`
	// Rollback configures Helm rollback.
	// +optional
	Rollback *Rollback `json:"rollback,omitempty"`
	// Uninstall configures Helm uninstall.
	// +optional
	Uninstall *Uninstall `json:"uninstall,omitempty"`
	// ValuesFrom reads values from ConfigMaps and Secrets, merged in order;
	// Values are merged last.
	// +listType=atomic
	// +optional
	ValuesFrom []ValuesReference `json:"valuesFrom,omitempty"`
	// Values for the release, a YAML/JSON object.
	// +optional
	Values *runtime.RawExtension `json:"values,omitempty"`
	// CommonMetadata is added to every object of the release.
	// +optional
	CommonMetadata *CommonMetadata `json:"commonMetadata,omitempty"`
	// PostRenderers change the rendered manifests, in order.
	// +listType=atomic
	// +optional
	PostRenderers []PostRenderer `json:"postRenderers,omitempty"`
	// PostRenderStrategy is nohooks, combined (the default) or separate.
	// +optional
	PostRenderStrategy PostRenderStrategy `json:"postRenderStrategy,omitempty"`
	// WaitStrategy says how Helm waits for readiness.
	// +optional
	WaitStrategy *WaitStrategy `json:"waitStrategy,omitempty"`
	// HealthCheckExprs say with CEL how to read the health of custom resources.
	// +listType=atomic
	// +optional
	HealthCheckExprs []CustomHealthCheck `json:"healthCheckExprs,omitempty"`
}

// HelmChartTemplate describes the HelmChart a HelmRelease creates, in the
// namespace of the chart's source.
type HelmChartTemplate struct {
	// ObjectMeta holds labels and annotations for the HelmChart.
	// +optional
	ObjectMeta *HelmChartTemplateObjectMeta `json:"metadata,omitempty"`
	// Spec of the HelmChart.
	Spec HelmChartTemplateSpec `json:"spec"`
}

// HelmChartTemplateObjectMeta holds metadata for a templated HelmChart.
type HelmChartTemplateObjectMeta struct {
	// Labels of the HelmChart.
	// +optional
	Labels map[string]string `json:"labels,omitempty"`
	// Annotations of the HelmChart.
	// +optional
	Annotations map[string]string `json:"annotations,omitempty"`
}

// HelmChartTemplateSpec is the spec of a templated HelmChart.
type HelmChartTemplateSpec struct {
	// Chart name or path in the source.
	Chart string `json:"chart"`
	// Version is a semver range; '*' by default. Ignored for GitRepository
	// and Bucket sources.
	// +optional
	Version string `json:"version,omitempty"`
	// SourceRef names the HelmRepository, GitRepository or Bucket holding the chart.
	SourceRef CrossNamespaceSourceReference `json:"sourceRef"`
	// Interval between checks of the source; the HelmRelease's interval by default.
	// +optional
	Interval *Duration `json:"interval,omitempty"`
	// ReconcileStrategy is ChartVersion (default) or Revision.
	// +optional
	ReconcileStrategy HelmChartReconcileStrategy `json:"reconcileStrategy,omitempty"`
	// ValuesFiles are paths in the source merged into the chart's default values.
	// +listType=atomic
	// +optional
	ValuesFiles []string `json:"valuesFiles,omitempty"`
	// IgnoreMissingValuesFiles skips missing ValuesFiles instead of failing.
	// +optional
	IgnoreMissingValuesFiles bool `json:"ignoreMissingValuesFiles,omitempty"`
	// Verify asks for the chart's signature to be checked (OCI sources only).
	// +optional
	Verify *HelmChartVerification `json:"verify,omitempty"`
}

// ValuesReference names a ConfigMap or Secret holding Helm values.
type ValuesReference struct {
	// Kind is ConfigMap or Secret.
	Kind string `json:"kind"`
	// Name of the object, in the HelmRelease's namespace.
	Name string `json:"name"`
	// ValuesKey is the data key holding the values; values.yaml by default.
	// +optional
	ValuesKey string `json:"valuesKey,omitempty"`
	// TargetPath merges the single value at this dotted path instead of at the root.
	// +optional
	TargetPath string `json:"targetPath,omitempty"`
	// Optional ignores a missing object or key.
	// +optional
	Optional bool `json:"optional,omitempty"`
	// Literal sets the value at TargetPath as it is, like helm --set-literal.
	// +optional
	Literal bool `json:"literal,omitempty"`
}

// DriftDetection configures detection of changes made to release objects
// outside Helm.
type DriftDetection struct {
	// Mode is enabled, warn or disabled (the default).
	// +optional
	Mode DriftDetectionMode `json:"mode,omitempty"`
	// Ignore lists fields to leave out of the comparison.
	// +listType=atomic
	// +optional
	Ignore []IgnoreRule `json:"ignore,omitempty"`
}

// PostRenderer changes rendered manifests before they are applied.
type PostRenderer struct {
	// Kustomize patches the rendered manifests.
	// +optional
	Kustomize *KustomizePostRenderer `json:"kustomize,omitempty"`
}

// KustomizePostRenderer patches rendered manifests with kustomize.
type KustomizePostRenderer struct {
	// Patches to apply.
	// +listType=atomic
	// +optional
	Patches []Patch `json:"patches,omitempty"`
	// Images to replace.
	// +listType=atomic
	// +optional
	Images []Image `json:"images,omitempty"`
}

// WaitStrategy names Helm's wait strategy.
type WaitStrategy struct {
	// Name is poller or legacy.
	Name WaitStrategyName `json:"name"`
}

// HelmReleaseStatus is the observed state of a HelmRelease.
type HelmReleaseStatus struct {
	// ObservedGeneration is the generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// ObservedPostRenderersDigest is the digest of the post-renderers last reconciled.
	// +optional
	ObservedPostRenderersDigest string `json:"observedPostRenderersDigest,omitempty"`
	// ObservedCommonMetadataDigest is the digest of the common metadata last reconciled.
	// +optional
	ObservedCommonMetadataDigest string `json:"observedCommonMetadataDigest,omitempty"`
	// LastAttemptedGeneration is the generation of the last attempt.
	// +optional
	LastAttemptedGeneration int64 `json:"lastAttemptedGeneration,omitempty"`
	// Conditions are Ready, Reconciling, Stalled, Released, TestSuccess, Remediated.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
	// HelmChart is '<namespace>/<name>' of the HelmChart created for the release.
	// +optional
	HelmChart string `json:"helmChart,omitempty"`
	// StorageNamespace of the current release.
	// +optional
	StorageNamespace string `json:"storageNamespace,omitempty"`
	// History of releases, newest first, up to the last successful one.
	// +listType=atomic
	// +optional
	History []HelmReleaseSnapshot `json:"history,omitempty"`
	// Inventory lists the objects of the current release.
	// +optional
	Inventory *ResourceInventory `json:"inventory,omitempty"`
	// LastAttemptedReleaseAction is install or upgrade; it picks the active
	// retry and remediation settings.
	// +optional
	LastAttemptedReleaseAction ReleaseAction `json:"lastAttemptedReleaseAction,omitempty"`
	// LastAttemptedReleaseActionDuration is how long that action took.
	// +optional
	LastAttemptedReleaseActionDuration *Duration `json:"lastAttemptedReleaseActionDuration,omitempty"`
	// Failures counts failed reconciliations of the current desired state.
	// +optional
	Failures int64 `json:"failures,omitempty"`
	// InstallFailures counts failed installs of the current desired state.
	// +optional
	InstallFailures int64 `json:"installFailures,omitempty"`
	// UpgradeFailures counts failed upgrades of the current desired state.
	// +optional
	UpgradeFailures int64 `json:"upgradeFailures,omitempty"`
	// LastAttemptedRevision is the chart version of the last attempt (with
	// the digest's first 12 characters appended for OCI sources).
	// +optional
	LastAttemptedRevision string `json:"lastAttemptedRevision,omitempty"`
	// LastAttemptedRevisionDigest is the OCI digest of the last attempt.
	// +optional
	LastAttemptedRevisionDigest string `json:"lastAttemptedRevisionDigest,omitempty"`
	// LastAttemptedValuesChecksum is deprecated; see LastAttemptedConfigDigest.
	// +optional
	LastAttemptedValuesChecksum string `json:"lastAttemptedValuesChecksum,omitempty"`
	// LastReleaseRevision is deprecated; see History.
	// +optional
	LastReleaseRevision int32 `json:"lastReleaseRevision,omitempty"`
	// LastAttemptedConfigDigest is the digest of the values of the last attempt.
	// +optional
	LastAttemptedConfigDigest string `json:"lastAttemptedConfigDigest,omitempty"`
	// LastHandledResetAt is the last reset request token handled.
	// +optional
	LastHandledResetAt string `json:"lastHandledResetAt,omitempty"`
	// LastHandledForceAt is the last force request token handled.
	// +optional
	LastHandledForceAt string `json:"lastHandledForceAt,omitempty"`

	ReconcileRequestStatus `json:",inline"`
	OwnerStatus            `json:",inline"`
}

// HelmReleaseSnapshot records one Helm release revision as the controller saw it.
type HelmReleaseSnapshot struct {
	// APIVersion of the snapshot format, so digests can change between versions.
	// +optional
	APIVersion string `json:"apiVersion,omitempty"`
	// Digest of the release object in Helm storage.
	Digest string `json:"digest"`
	// Name of the release.
	Name string `json:"name"`
	// Namespace of the release.
	Namespace string `json:"namespace"`
	// Version (revision number) of the release.
	Version int32 `json:"version"`
	// Status of the release, such as deployed or superseded.
	Status string `json:"status"`
	// Action that produced this revision.
	// +optional
	Action ReleaseAction `json:"action,omitempty"`
	// ChartName of the release.
	ChartName string `json:"chartName"`
	// ChartVersion of the release.
	ChartVersion string `json:"chartVersion"`
	// AppVersion of the chart.
	// +optional
	AppVersion string `json:"appVersion,omitempty"`
	// ConfigDigest is the digest of the release values.
	ConfigDigest string `json:"configDigest"`
	// FirstDeployed is when the release was first deployed.
	FirstDeployed metav1.Time `json:"firstDeployed"`
	// LastDeployed is when the release was last deployed.
	LastDeployed metav1.Time `json:"lastDeployed"`
	// Deleted is when the release was deleted.
	// +optional
	Deleted metav1.Time `json:"deleted,omitempty"`
	// TestHooks are the test hooks seen to run; an empty map means tests ran
	// and there were none, a missing one means tests did not run.
	// +optional
	TestHooks *map[string]TestHookStatus `json:"testHooks,omitempty"`
	// OCIDigest is the digest of the OCI artifact of the chart.
	// +optional
	OCIDigest string `json:"ociDigest,omitempty"`
}

// TestHookStatus records one run of a Helm test hook.
type TestHookStatus struct {
	// LastStarted is when the hook last started.
	// +optional
	LastStarted metav1.Time `json:"lastStarted,omitempty"`
	// LastCompleted is when the hook last completed.
	// +optional
	LastCompleted metav1.Time `json:"lastCompleted,omitempty"`
	// Phase the hook was last seen in.
	// +optional
	Phase string `json:"phase,omitempty"`
}

// GetConditions returns the status conditions.
func (in *HelmRelease) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the status conditions.
func (in *HelmRelease) SetConditions(conditions []metav1.Condition) {
	in.Status.Conditions = conditions
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// HelmReleaseList is a list of HelmReleases.
type HelmReleaseList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []HelmRelease `json:"items"`
}

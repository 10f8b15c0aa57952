package v1alpha1

import ()

// Settings of the Helm actions (install, upgrade, test, rollback, uninstall)
// a HelmRelease performs.

// CRDsPolicy says what Helm does with the CRDs in a chart's crds directory.
// +enum
type CRDsPolicy string

const (
	// CRDsSkip neither creates nor updates CRDs.
	CRDsSkip CRDsPolicy = "Skip"
	// CRDsCreate creates missing CRDs and leaves existing ones alone.
	CRDsCreate CRDsPolicy = "Create"
	// CRDsCreateReplace creates missing CRDs and replaces existing ones.
	CRDsCreateReplace CRDsPolicy = "CreateReplace"
)

// ServerSideApplyMode says whether upgrade and rollback use server-side apply.
// +enum
type ServerSideApplyMode string

const (
	ServerSideApplyEnabled  ServerSideApplyMode = "enabled"
	ServerSideApplyDisabled ServerSideApplyMode = "disabled"
	// ServerSideApplyAuto does what the previous release did.
	ServerSideApplyAuto ServerSideApplyMode = "auto"
)

// ChartNameChangeStrategy says what happens when the chart name of a release changes.
// +enum
type ChartNameChangeStrategy string

const (
	// ChartNameChangeReinstall uninstalls the old release and installs anew; the default.
	ChartNameChangeReinstall ChartNameChangeStrategy = "Reinstall"
	// ChartNameChangeInPlaceUpdate upgrades the release in place.
	ChartNameChangeInPlaceUpdate ChartNameChangeStrategy = "InPlaceUpdate"
)

// ActionStrategyName says how a failed install or upgrade is handled.
// +enum
type ActionStrategyName string

const (
	// ActionStrategyRemediateOnFailure remediates (rollback or uninstall) and retries.
	ActionStrategyRemediateOnFailure ActionStrategyName = "RemediateOnFailure"
	// ActionStrategyRetryOnFailure retries without remediation, after RetryInterval.
	ActionStrategyRetryOnFailure ActionStrategyName = "RetryOnFailure"
)

// RemediationStrategy says how a failed upgrade is undone.
// +enum
type RemediationStrategy string

const (
	RemediationRollback  RemediationStrategy = "rollback"
	RemediationUninstall RemediationStrategy = "uninstall"
)

// ReleaseAction names a Helm action.
// +enum
type ReleaseAction string

const (
	ReleaseActionInstall              ReleaseAction = "install"
	ReleaseActionUpgrade              ReleaseAction = "upgrade"
	ReleaseActionRollback             ReleaseAction = "rollback"
	ReleaseActionUninstall            ReleaseAction = "uninstall"
	ReleaseActionUninstallRemediation ReleaseAction = "uninstall-remediation"
)

// Values of Uninstall.DeletionPropagation.
const (
	DeletionPropagationBackground = "background"
	DeletionPropagationForeground = "foreground"
	DeletionPropagationOrphan     = "orphan"
)

// Install configures Helm install.
type Install struct {
	// Timeout for each Kubernetes operation; the release's Timeout by default.
	// +optional
	Timeout *Duration `json:"timeout,omitempty"`
	// Strategy for failed installs; RemediateOnFailure by default.
	// +optional
	Strategy *InstallStrategy `json:"strategy,omitempty"`
	// Remediation of failed installs; none by default.
	// +optional
	Remediation *InstallRemediation `json:"remediation,omitempty"`
	// DisableTakeOwnership refuses to adopt existing objects.
	// +optional
	DisableTakeOwnership bool `json:"disableTakeOwnership,omitempty"`
	// DisableWait does not wait for readiness.
	// +optional
	DisableWait bool `json:"disableWait,omitempty"`
	// DisableWaitForJobs does not wait for Jobs to complete.
	// +optional
	DisableWaitForJobs bool `json:"disableWaitForJobs,omitempty"`
	// DisableHooks does not run hooks.
	// +optional
	DisableHooks bool `json:"disableHooks,omitempty"`
	// DisableOpenAPIValidation skips validating manifests against the cluster's schema.
	// +optional
	DisableOpenAPIValidation bool `json:"disableOpenAPIValidation,omitempty"`
	// DisableSchemaValidation skips validating values against the chart's JSON schema.
	// +optional
	DisableSchemaValidation bool `json:"disableSchemaValidation,omitempty"`
	// Replace reuses the name of a deleted release kept in history.
	// +optional
	Replace bool `json:"replace,omitempty"`
	// SkipCRDs is deprecated: use CRDs: Skip.
	// +optional
	SkipCRDs bool `json:"skipCRDs,omitempty"`
	// CRDs is Skip, Create (the default) or CreateReplace.
	// +optional
	CRDs CRDsPolicy `json:"crds,omitempty"`
	// CreateNamespace creates the target namespace if missing (it is kept on uninstall).
	// +optional
	CreateNamespace bool `json:"createNamespace,omitempty"`
	// ServerSideApply installs with server-side apply; true by default.
	// +optional
	ServerSideApply *bool `json:"serverSideApply,omitempty"`
}

// InstallStrategy says how failed installs are handled.
type InstallStrategy struct {
	// Name is RemediateOnFailure or RetryOnFailure.
	Name ActionStrategyName `json:"name"`
	// RetryInterval between retries, only with RetryOnFailure; 5m by default.
	// +optional
	RetryInterval *Duration `json:"retryInterval,omitempty"`
}

// InstallRemediation configures remediation of failed installs.
type InstallRemediation struct {
	// Retries before giving up; negative means forever. Each retry uninstalls first.
	// +optional
	Retries int32 `json:"retries,omitempty"`
	// IgnoreTestFailures skips remediation when tests fail; Test.IgnoreFailures by default.
	// +optional
	IgnoreTestFailures *bool `json:"ignoreTestFailures,omitempty"`
	// RemediateLastFailure remediates also when no retries remain.
	// +optional
	RemediateLastFailure *bool `json:"remediateLastFailure,omitempty"`
}

// Upgrade configures Helm upgrade.
type Upgrade struct {
	// Timeout for each Kubernetes operation; the release's Timeout by default.
	// +optional
	Timeout *Duration `json:"timeout,omitempty"`
	// Strategy for failed upgrades; RemediateOnFailure by default.
	// +optional
	Strategy *UpgradeStrategy `json:"strategy,omitempty"`
	// Remediation of failed upgrades; none by default.
	// +optional
	Remediation *UpgradeRemediation `json:"remediation,omitempty"`
	// DisableTakeOwnership refuses to adopt existing objects.
	// +optional
	DisableTakeOwnership bool `json:"disableTakeOwnership,omitempty"`
	// DisableWait does not wait for readiness.
	// +optional
	DisableWait bool `json:"disableWait,omitempty"`
	// DisableWaitForJobs does not wait for Jobs to complete.
	// +optional
	DisableWaitForJobs bool `json:"disableWaitForJobs,omitempty"`
	// DisableHooks does not run hooks.
	// +optional
	DisableHooks bool `json:"disableHooks,omitempty"`
	// DisableOpenAPIValidation skips validating manifests against the cluster's schema.
	// +optional
	DisableOpenAPIValidation bool `json:"disableOpenAPIValidation,omitempty"`
	// DisableSchemaValidation skips validating values against the chart's JSON schema.
	// +optional
	DisableSchemaValidation bool `json:"disableSchemaValidation,omitempty"`
	// Force replaces objects instead of merging (client-side apply only).
	// +optional
	Force bool `json:"force,omitempty"`
	// PreserveValues reuses the previous release's values, which makes the
	// release depend on its history.
	// +optional
	PreserveValues bool `json:"preserveValues,omitempty"`
	// CleanupOnFail deletes objects created by a failed upgrade.
	// +optional
	CleanupOnFail bool `json:"cleanupOnFail,omitempty"`
	// CRDs is Skip (the default), Create or CreateReplace.
	// +optional
	CRDs CRDsPolicy `json:"crds,omitempty"`
	// ServerSideApply is enabled, disabled or auto (the default).
	// +optional
	ServerSideApply ServerSideApplyMode `json:"serverSideApply,omitempty"`
	// ChartNameChangeStrategy is Reinstall (the default) or InPlaceUpdate.
	// +optional
	ChartNameChangeStrategy ChartNameChangeStrategy `json:"chartNameChangeStrategy,omitempty"`
}

// UpgradeStrategy says how failed upgrades are handled.
type UpgradeStrategy struct {
	// Name is RemediateOnFailure or RetryOnFailure.
	Name ActionStrategyName `json:"name"`
	// RetryInterval between retries, only with RetryOnFailure; 5m by default.
	// +optional
	RetryInterval *Duration `json:"retryInterval,omitempty"`
}

// UpgradeRemediation configures remediation of failed upgrades.
type UpgradeRemediation struct {
	// Retries before giving up; negative means forever.
	// +optional
	Retries int32 `json:"retries,omitempty"`
	// IgnoreTestFailures skips remediation when tests fail; Test.IgnoreFailures by default.
	// +optional
	IgnoreTestFailures *bool `json:"ignoreTestFailures,omitempty"`
	// RemediateLastFailure remediates also when no retries remain; true when Retries > 0.
	// +optional
	RemediateLastFailure *bool `json:"remediateLastFailure,omitempty"`
	// Strategy is rollback (the default) or uninstall.
	// +optional
	Strategy *RemediationStrategy `json:"strategy,omitempty"`
}

// Test configures Helm test.
type Test struct {
	// Enable runs the chart's tests after install and upgrade.
	// +optional
	Enable bool `json:"enable,omitempty"`
	// Timeout for each Kubernetes operation; the release's Timeout by default.
	// +optional
	Timeout *Duration `json:"timeout,omitempty"`
	// IgnoreFailures does not remediate when tests fail.
	// +optional
	IgnoreFailures bool `json:"ignoreFailures,omitempty"`
	// Filters select tests to run or exclude.
	// +listType=atomic
	// +optional
	Filters []TestFilter `json:"filters,omitempty"`
}

// TestFilter selects one Helm test by name.
type TestFilter struct {
	// Name of the test.
	Name string `json:"name"`
	// Exclude the test instead of running it.
	// +optional
	Exclude bool `json:"exclude,omitempty"`
}

// Rollback configures Helm rollback.
type Rollback struct {
	// Timeout for each Kubernetes operation; the release's Timeout by default.
	// +optional
	Timeout *Duration `json:"timeout,omitempty"`
	// DisableWait does not wait for readiness.
	// +optional
	DisableWait bool `json:"disableWait,omitempty"`
	// DisableWaitForJobs does not wait for Jobs to complete.
	// +optional
	DisableWaitForJobs bool `json:"disableWaitForJobs,omitempty"`
	// DisableHooks does not run hooks.
	// +optional
	DisableHooks bool `json:"disableHooks,omitempty"`
	// Recreate is deprecated and has no effect with Helm 4.
	// +optional
	Recreate bool `json:"recreate,omitempty"`
	// Force replaces objects instead of merging (client-side apply only).
	// +optional
	Force bool `json:"force,omitempty"`
	// CleanupOnFail deletes objects created by a failed rollback.
	// +optional
	CleanupOnFail bool `json:"cleanupOnFail,omitempty"`
	// ServerSideApply is enabled, disabled or auto (the default).
	// +optional
	ServerSideApply ServerSideApplyMode `json:"serverSideApply,omitempty"`
}

// Uninstall configures Helm uninstall.
type Uninstall struct {
	// Timeout for each Kubernetes operation; the release's Timeout by default.
	// +optional
	Timeout *Duration `json:"timeout,omitempty"`
	// DisableHooks does not run hooks.
	// +optional
	DisableHooks bool `json:"disableHooks,omitempty"`
	// KeepHistory marks the release deleted but keeps its history.
	// +optional
	KeepHistory bool `json:"keepHistory,omitempty"`
	// DisableWait does not wait for the objects to be gone.
	// +optional
	DisableWait bool `json:"disableWait,omitempty"`
	// DeletionPropagation is background (the default), foreground or orphan.
	// +optional
	DeletionPropagation *string `json:"deletionPropagation,omitempty"`
}

package v1alpha1

// Reasons of conditions and Events, spelt as Flux's controllers spell
// them, so that alerts and tools written for Flux match them unchanged.
// They are declared here, with the API, and nowhere else.

// Reasons of every kind.
const (
	SucceededReason               = "Succeeded"
	FailedReason                  = "Failed"
	ProgressingReason             = "Progressing"
	ProgressingWithRetryReason    = "ProgressingWithRetry"
	DependencyNotReadyReason      = "DependencyNotReady"
	ReconciliationSucceededReason = "ReconciliationSucceeded"
	ReconciliationFailedReason    = "ReconciliationFailed"
	// NotSupportedReason: the object asks for what this server does not
	// implement; ignoring it would be worse.
	NotSupportedReason = "NotSupported"
	// AccessDeniedReason: the identity the object acts as may not do what
	// it asks for, such as use a source in another namespace (Flux's acl).
	AccessDeniedReason = "AccessDenied"
)

// Reasons of Kustomizations (and HelmReleases).
const (
	ArtifactFailedReason    = "ArtifactFailed"
	BuildFailedReason       = "BuildFailed"
	HealthCheckFailedReason = "HealthCheckFailed"
	PruneFailedReason       = "PruneFailed"
)

// Reasons of HelmReleases, as Flux's helm-controller spells them.
const (
	InstallSucceededReason   = "InstallSucceeded"
	InstallFailedReason      = "InstallFailed"
	UpgradeSucceededReason   = "UpgradeSucceeded"
	UpgradeFailedReason      = "UpgradeFailed"
	UninstallSucceededReason = "UninstallSucceeded"
	UninstallFailedReason    = "UninstallFailed"
	RollbackSucceededReason  = "RollbackSucceeded"
	RollbackFailedReason     = "RollbackFailed"
	TestSucceededReason      = "TestSucceeded"
	TestFailedReason         = "TestFailed"
	// RetriesExceededReason: the release failed more often than its
	// remediation allows; it waits for a change of the desired state.
	RetriesExceededReason = "RetriesExceeded"
	// MissingRollbackTargetReason: no earlier successful release to roll
	// back to.
	MissingRollbackTargetReason = "MissingRollbackTarget"
	// ValuesErrorReason: the values cannot be composed (a missing
	// valuesFrom object or key, a document that is not a map).
	ValuesErrorReason = "ValuesError"
)

// Reasons of a HelmRelease's drift detection: of Drifted, and of the
// Events of a drift and of its correction.
const (
	DriftDetectedReason         = "DriftDetected"
	NoDriftDetectedReason       = "NoDriftDetected"
	DriftCorrectedReason        = "DriftCorrected"
	DriftCorrectionFailedReason = "DriftCorrectionFailed"
)

// Reasons of sources.
const (
	// NewArtifactReason is the Event of a new revision stored.
	NewArtifactReason            = "NewArtifact"
	GitOperationFailedReason     = "GitOperationFailed"
	AuthenticationFailedReason   = "AuthenticationFailed"
	URLInvalidReason             = "URLInvalid"
	ArchiveOperationFailedReason = "ArchiveOperationFailed"
	BucketOperationFailedReason  = "BucketOperationFailed"
	// OCIPullFailedReason: an OCI artifact could not be resolved or pulled.
	OCIPullFailedReason = "OCIArtifactPullFailed"
	// OCILayerOperationFailedReason: the selected layer of an OCI artifact
	// could not be found, extracted or copied.
	OCILayerOperationFailedReason = "OCIArtifactLayerOperationFailed"
	// VerificationErrorReason: an OCI artifact's signature does not verify.
	VerificationErrorReason = "VerificationError"
	// InvalidCommitSignatureReason and InvalidTagSignatureReason: a Git
	// commit or tag whose signature does not verify.
	InvalidCommitSignatureReason = "InvalidCommitSignature"
	InvalidTagSignatureReason    = "InvalidTagSignature"
	// IncludeUnavailableReason: an included GitRepository has no artifact
	// to copy.
	IncludeUnavailableReason = "IncludeUnavailable"
	// IndexationFailedReason: a Helm repository index that cannot be
	// downloaded or read.
	IndexationFailedReason      = "IndexationFailed"
	ChartPullFailedReason       = "ChartPullFailed"
	ChartPullSucceededReason    = "ChartPullSucceeded"
	ChartPackageFailedReason    = "ChartPackageFailed"
	ChartPackageSucceededReason = "ChartPackageSucceeded"
	// SourceUnavailableReason: a HelmChart's source is missing or of an
	// unknown kind; NoSourceArtifactReason: it has no artifact yet.
	SourceUnavailableReason = "SourceUnavailable"
	NoSourceArtifactReason  = "NoSourceArtifact"
)

package source

// Condition types of sources, besides kstatus' Ready, Reconciling and
// Stalled (v1alpha1.ReadyCondition and friends).
const (
	// ArtifactInStorageCondition is True while status.artifact names a file
	// that is on the server's volume.
	ArtifactInStorageCondition = "ArtifactInStorage"
	// FetchFailedCondition is True while the source cannot be fetched from
	// its origin; absent otherwise.
	FetchFailedCondition = "FetchFailed"
	// StorageOperationFailedCondition is True while the artifact cannot be
	// written to the server's volume; absent otherwise.
	StorageOperationFailedCondition = "StorageOperationFailed"
	// SourceVerifiedCondition is True when the artifact's signatures were
	// verified, False when they failed; absent without verification.
	SourceVerifiedCondition = "SourceVerified"
)

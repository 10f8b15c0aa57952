package notification

// Reasons of the kinds' Ready condition.
const (
	// ValidationFailedReason: a Secret the Provider names is missing or
	// does not hold what its type needs.
	ValidationFailedReason = "ValidationFailed"
	// ProviderNotReadyReason: the Alert's Provider is missing or not Ready.
	ProviderNotReadyReason = "ProviderNotReady"
	// InitializedReason: ready to send.
	InitializedReason = "Initialized"
)

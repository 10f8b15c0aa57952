package helmrepository

import (
	"errors"

	"gitops.io/apiserver/pkg/reconcile/source"
)

// The step errors of sources, named for this package's callers.
var (
	fetchFailed  = source.FetchFailed
	stalledError = source.Stalled
	storageError = source.StorageFailed
	isStalled    = source.IsStalled
)

// asStepError reports err as a step error, wrapping others as a failed
// indexation.
func asStepError(err error) *source.StepError {
	return source.AsStepError(err, indexationFailed)
}

// authFailed is an AuthenticationFailed failure of the credentials.
func authFailed(format string, args ...any) *source.StepError {
	return fetchFailed(source.AuthenticationFailedReason, format, args...)
}

// Reason is the Flux reason of an error of NewAccess (URLInvalid,
// AuthenticationFailed), and whether retrying it without a change of the
// HelmRepository is pointless; "" for other errors.
func Reason(err error) (reason string, stalled bool) {
	var se *source.StepError
	if errors.As(err, &se) {
		return se.Reason, se.Stalled
	}
	return "", false
}

// ErrUnauthorized is wrapped by Access.Get when the server refuses the
// credentials (401 or 403).
var ErrUnauthorized = errors.New("the server refused the credentials")

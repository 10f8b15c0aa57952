package helmrepository

import (
	"errors"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// authFailed is an AuthenticationFailed failure of the credentials.
func authFailed(format string, args ...any) *outcome.Failure {
	return source.FetchFailed(v1alpha1.AuthenticationFailedReason, format, args...)
}

// Reason is the Flux reason of an error of NewAccess (URLInvalid,
// AuthenticationFailed), and whether retrying it without a change of the
// HelmRepository is pointless; "" for other errors.
func Reason(err error) (reason string, stalled bool) {
	var se *outcome.Failure
	if errors.As(err, &se) {
		return se.Reason, se.Stalled
	}
	return "", false
}

// ErrUnauthorized is wrapped by Access.Get when the server refuses the
// credentials (401 or 403).
var ErrUnauthorized = errors.New("the server refused the credentials")

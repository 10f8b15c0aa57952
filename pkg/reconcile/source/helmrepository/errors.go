package helmrepository

import (
	"errors"
	"fmt"

	"gitops.io/apiserver/pkg/reconcile/source"
)

// stepError is a failed step, with the condition and Flux reason it is
// reported under. Its message is shown in status, so it never holds
// credentials.
type stepError struct {
	// condition is the negative-polarity condition set to True, e.g. FetchFailed.
	condition string
	reason    string
	err       error
	// stalled marks failures that retrying cannot fix until the object
	// changes, such as an invalid URL.
	stalled bool
}

func (e *stepError) Error() string { return e.err.Error() }
func (e *stepError) Unwrap() error { return e.err }

func fetchFailed(reason string, format string, args ...any) *stepError {
	return &stepError{condition: sourceFetchFailed, reason: reason, err: fmt.Errorf(format, args...)}
}

func stalledError(reason string, format string, args ...any) *stepError {
	e := fetchFailed(reason, format, args...)
	e.stalled = true
	return e
}

// asStepError reports err as a stepError, wrapping others as a failed
// indexation.
func asStepError(err error) *stepError {
	var se *stepError
	if errors.As(err, &se) {
		return se
	}
	return &stepError{condition: sourceFetchFailed, reason: indexationFailed, err: err}
}

// Reason is the Flux reason of an error of NewAccess (URLInvalid,
// AuthenticationFailed), and whether retrying it without a change of the
// HelmRepository is pointless; "" for other errors.
func Reason(err error) (reason string, stalled bool) {
	var se *stepError
	if errors.As(err, &se) {
		return se.reason, se.stalled
	}
	return "", false
}

// ErrUnauthorized is wrapped by Access.Get when the server refuses the
// credentials (401 or 403).
var ErrUnauthorized = errors.New("the server refused the credentials")

// authFailed is an AuthenticationFailed failure of the credentials.
func authFailed(format string, args ...any) *stepError {
	return fetchFailed(source.AuthenticationFailedReason, format, args...)
}

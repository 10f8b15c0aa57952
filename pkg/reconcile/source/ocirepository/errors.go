package ocirepository

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
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

// registryError reports a failed registry call: AuthenticationFailed when
// the registry refused the credentials, OCIArtifactPullFailed otherwise.
func registryError(err error, format string, args ...any) *stepError {
	reason := pullFailed
	var te *transport.Error
	if errors.As(err, &te) && (te.StatusCode == http.StatusUnauthorized || te.StatusCode == http.StatusForbidden) {
		reason = authenticationFailed
	}
	return fetchFailed(reason, "%s: %w", fmt.Sprintf(format, args...), err)
}

// asStepError reports err as a stepError, wrapping others as a failed pull.
func asStepError(err error) *stepError {
	var se *stepError
	if errors.As(err, &se) {
		return se
	}
	return &stepError{condition: sourceFetchFailed, reason: pullFailed, err: err}
}

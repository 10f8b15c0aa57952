package helmchart

import (
	"errors"
	"fmt"

	"gitops.io/apiserver/pkg/reconcile/source"
	"gitops.io/apiserver/pkg/reconcile/source/helmrepository"
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
	// changes, such as an unknown source kind.
	stalled bool
}

func (e *stepError) Error() string { return e.err.Error() }
func (e *stepError) Unwrap() error { return e.err }

func fetchFailed(reason string, format string, args ...any) *stepError {
	return &stepError{condition: sourceFetchFailed, reason: reason, err: fmt.Errorf(format, args...)}
}

func pullFailed(format string, args ...any) *stepError {
	return &stepError{condition: buildFailed, reason: chartPullFailed, err: fmt.Errorf(format, args...)}
}

func packageFailed(format string, args ...any) *stepError {
	return &stepError{condition: buildFailed, reason: chartPackageFailed, err: fmt.Errorf(format, args...)}
}

// repositoryFailed reports an error of the helmrepository package (reading
// a repository's Secrets, a download) under its own reason, or else
// under fallback.
func repositoryFailed(err error, fallback *stepError) *stepError {
	reason, stalled := helmrepository.Reason(err)
	if errors.Is(err, helmrepository.ErrUnauthorized) {
		reason = source.AuthenticationFailedReason
	}
	if reason == "" {
		return fallback
	}
	return &stepError{condition: sourceFetchFailed, reason: reason, err: fallback.err, stalled: stalled}
}

// asStepError reports err as a stepError, wrapping others as a failed build.
func asStepError(err error) *stepError {
	var se *stepError
	if errors.As(err, &se) {
		return se
	}
	return &stepError{condition: buildFailed, reason: chartPullFailed, err: err}
}

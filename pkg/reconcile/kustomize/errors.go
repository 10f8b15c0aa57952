package kustomize

import (
	"errors"
	"fmt"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// stepError is a failed step with the Flux reason it is reported under. Its
// message is shown in status and Events, so it never holds credentials.
type stepError struct {
	reason string
	err    error
	// stalled marks failures that only an edit of the object can fix.
	stalled bool
	// waiting marks a Kustomization that waits for something else (a
	// dependency, a source artifact) rather than failing: it is retried
	// after a fixed delay, without backoff.
	waiting bool
}

func (e *stepError) Error() string { return e.err.Error() }
func (e *stepError) Unwrap() error { return e.err }

func failed(reason string, format string, args ...any) *stepError {
	return &stepError{reason: reason, err: fmt.Errorf(format, args...)}
}

func stalled(reason string, format string, args ...any) *stepError {
	e := failed(reason, format, args...)
	e.stalled = true
	return e
}

func waiting(reason string, format string, args ...any) *stepError {
	e := failed(reason, format, args...)
	e.waiting = true
	return e
}

// asStepError reports err as a stepError; anything else is a failed
// reconciliation.
func asStepError(err error) *stepError {
	var se *stepError
	if errors.As(err, &se) {
		return se
	}
	return &stepError{reason: v1alpha1.ReconciliationFailedReason, err: err}
}

package bucket

import (
	"errors"
	"fmt"
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
	// changes, such as an invalid endpoint.
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

func storageError(reason string, err error) *stepError {
	return &stepError{condition: storageFailed, reason: reason, err: err}
}

// asStepError reports err as a stepError, wrapping others as a failed
// bucket operation.
func asStepError(err error) *stepError {
	var se *stepError
	if errors.As(err, &se) {
		return se
	}
	return &stepError{condition: sourceFetchFailed, reason: bucketOperationFailed, err: err}
}

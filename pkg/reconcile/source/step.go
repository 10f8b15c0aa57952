package source

import (
	"errors"
	"fmt"
)

// StepError is a failed step of a source reconciler, with the condition and
// Flux reason it is reported under. Its message is shown in status and
// Events, so it never holds credentials.
type StepError struct {
	// Condition is the negative-polarity condition set to True, e.g.
	// FetchFailed (or SourceVerified, set to False).
	Condition string
	Reason    string
	Err       error
	// Stalled marks failures that retrying cannot fix until the object
	// changes, such as an invalid URL.
	Stalled bool
}

func (e *StepError) Error() string { return e.Err.Error() }
func (e *StepError) Unwrap() error { return e.Err }

// FetchFailed is a failure to fetch the source from its origin.
func FetchFailed(reason string, format string, args ...any) *StepError {
	return &StepError{Condition: FetchFailedCondition, Reason: reason, Err: fmt.Errorf(format, args...)}
}

// Stalled is a fetch failure that only an edit of the object can fix.
func Stalled(reason string, format string, args ...any) *StepError {
	e := FetchFailed(reason, format, args...)
	e.Stalled = true
	return e
}

// StorageFailed is a failure to write the artifact to the server's volume.
func StorageFailed(reason string, err error) *StepError {
	return &StepError{Condition: StorageOperationFailedCondition, Reason: reason, Err: err}
}

// AsStepError reports err as a StepError; any other error is a fetch
// failure with reason.
func AsStepError(err error, reason string) *StepError {
	var se *StepError
	if errors.As(err, &se) {
		return se
	}
	return &StepError{Condition: FetchFailedCondition, Reason: reason, Err: err}
}

// IsStalled reports whether err needs an edit of the object before a retry
// can help.
func IsStalled(err error) bool {
	var se *StepError
	return errors.As(err, &se) && se.Stalled
}

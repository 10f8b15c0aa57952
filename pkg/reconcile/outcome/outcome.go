// Package outcome is the one way a reconcile step says how it failed: the
// condition and Flux reason the failure is reported under, and whether the
// runtime retries it with backoff, waits a fixed time (for another object),
// or stops until the object changes (stalled).
package outcome

import (
	"errors"
	"fmt"
	"time"
)

// Failure is a failed step. Its message is shown in status and Events, so
// it never holds credentials.
type Failure struct {
	// Condition records the failure besides Ready: a negative-polarity
	// condition (FetchFailed) set True, or one of the kind's positive checks
	// (SourceVerified, Healthy) set False. Empty: Ready alone says it.
	Condition string
	Reason    string
	Err       error
	// Stalled: retrying cannot help until the object changes (an invalid
	// URL). Never for what a Secret or another object holds: those change
	// without the object changing.
	Stalled bool
	// Waiting: the object waits for another (a dependency, a source's
	// artifact) rather than failing; it is looked at again after a fixed
	// delay, without backoff, and no Warning Event is recorded.
	Waiting bool
	// After, when set, retries after this fixed delay instead of with
	// backoff: the object asks for it (a HelmRelease's retryInterval).
	After time.Duration
}

func (f *Failure) Error() string { return f.Err.Error() }
func (f *Failure) Unwrap() error { return f.Err }

// On names the condition that records the failure besides Ready.
func (f *Failure) On(condition string) *Failure {
	f.Condition = condition
	return f
}

// Failed is a failure that is retried with backoff.
func Failed(reason string, format string, args ...any) *Failure {
	return &Failure{Reason: reason, Err: fmt.Errorf(format, args...)}
}

// Stalled is a failure that only an edit of the object can fix.
func Stalled(reason string, format string, args ...any) *Failure {
	f := Failed(reason, format, args...)
	f.Stalled = true
	return f
}

// Waiting is an object waiting for another one.
func Waiting(reason string, format string, args ...any) *Failure {
	f := Failed(reason, format, args...)
	f.Waiting = true
	return f
}

// RetryAfter is a failure retried after a fixed delay the object sets.
func RetryAfter(after time.Duration, reason string, format string, args ...any) *Failure {
	f := Failed(reason, format, args...)
	f.After = after
	return f
}

// RetryDelay is the fixed delay err asks to be retried after, 0 for none.
func RetryDelay(err error) time.Duration {
	var f *Failure
	if errors.As(err, &f) {
		return f.After
	}
	return 0
}

// Of reports err as a Failure; any other error is a failure with reason.
func Of(err error, reason string) *Failure {
	var f *Failure
	if errors.As(err, &f) {
		return f
	}
	return &Failure{Reason: reason, Err: err}
}

// IsStalled reports whether err needs an edit of the object before a retry
// can help.
func IsStalled(err error) bool {
	var f *Failure
	return errors.As(err, &f) && f.Stalled
}

// IsWaiting reports whether err means waiting for another object.
func IsWaiting(err error) bool {
	var f *Failure
	return errors.As(err, &f) && f.Waiting
}

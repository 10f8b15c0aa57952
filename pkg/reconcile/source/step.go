package source

import (
	"context"
	"time"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/artifact"
	"gitops.io/apiserver/pkg/reconcile/controller"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// FetchFailed is a failure to fetch the source from its origin, recorded
// by the FetchFailed condition.
func FetchFailed(reason string, format string, args ...any) *outcome.Failure {
	return outcome.Failed(reason, format, args...).On(FetchFailedCondition)
}

// Stalled is a fetch failure that only an edit of the object can fix.
func Stalled(reason string, format string, args ...any) *outcome.Failure {
	return outcome.Stalled(reason, format, args...).On(FetchFailedCondition)
}

// StorageFailed is a failure to write the artifact to the server's volume.
func StorageFailed(reason string, err error) *outcome.Failure {
	return &outcome.Failure{Condition: StorageOperationFailedCondition, Reason: reason, Err: err}
}

// ScheduleOf is when a source runs: every interval (defaultInterval when
// unset), retries no further apart, and its steps may take timeout
// (v1alpha1.DefaultSourceTimeout when unset).
func ScheduleOf(suspend bool, interval v1alpha1.Duration, timeout *v1alpha1.Duration, defaultInterval time.Duration) controller.Schedule {
	s := controller.Schedule{Suspend: suspend, Interval: defaultInterval, Timeout: v1alpha1.DefaultSourceTimeout}
	if interval.Duration > 0 {
		s.Interval = interval.Duration
	}
	if timeout != nil && timeout.Duration > 0 {
		s.Timeout = timeout.Duration
	}
	s.RetryInterval = s.Interval
	return s
}

// Source is an object of a source kind, which keeps an artifact.
type Source interface {
	controller.Reconciled
	GetArtifact() *v1alpha1.Artifact
	SetArtifact(*v1alpha1.Artifact)
}

// ForgetLostArtifact is the first step of every source: it forgets
// status.artifact when its file is gone (a new volume, a hand-cleaned
// folder), so the steps build it again.
func ForgetLostArtifact[T Source, R any](storage *artifact.Storage) controller.Step[T, R] {
	return controller.Step[T, R]{Name: "forget lost artifact", Run: func(_ context.Context, obj T, _ *R) error {
		if a := obj.GetArtifact(); a != nil && !storage.Exists(a.Path) {
			obj.SetArtifact(nil)
		}
		return nil
	}}
}

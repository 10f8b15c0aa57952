package controller

import (
	"context"
	"errors"
	"fmt"
	"time"

	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/conditions"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// Kind is what one kind gives the runtime: how its status is read and
// written, when it runs, its steps and how it summarizes them. Everything
// else (suspend, reconcile requests, marking new work, status writes,
// requeueing, finalizers) is the runtime's, the same for every kind.
//
// R is what the steps of one run hand each other and the summary reads;
// every run starts with its zero value.
type Kind[T Reconciled, R any] struct {
	Name string
	// UpdateStatus writes obj's status through the loopback client.
	UpdateStatus func(ctx context.Context, obj T) (T, error)
	// Schedule says when obj runs.
	Schedule func(obj T) Schedule
	// Steps run in order; the first failure ends them, and a step that
	// returns ErrUpToDate ends them with success.
	Steps []Step[T, R]
	// Summarize sets obj's conditions from the outcome of the steps.
	Summarize func(obj T, err error)
	// Finish, if set, records what else the run leaves after Summarize:
	// Events, history. before is obj as it was when the run started.
	Finish func(obj, before T, run *R, err error)
	// Release, if set, frees what the steps left in run (connections,
	// temporary files), whatever the outcome.
	Release func(run *R)
	// Finalizer, if set, keeps a deleted object until Finalize (which
	// removes it) has cleaned up after it.
	Finalizer *Finalizer[T]
}

// Step is one named step of a kind.
type Step[T Reconciled, R any] struct {
	Name string
	Run  func(ctx context.Context, obj T, run *R) error
	// Untimed steps are not bounded by Schedule.Timeout: they bound their
	// own waits (health checks) or must finish (prune).
	Untimed bool
}

// ErrUpToDate is returned by a step when the steps after it have nothing to
// do (the stored artifact is already the remote's revision). It ends the
// run as a success.
var ErrUpToDate = errors.New("up to date")

// Reconciled is an object of a kind that runs on the runtime.
type Reconciled interface {
	Object
	ReconcileStatus() v1alpha1.ReconcileStatus
}

// Schedule is when an object runs: every Interval after a success; failures
// retry with backoff up to RetryInterval; the steps may take Timeout.
type Schedule struct {
	Suspend       bool
	Interval      time.Duration
	RetryInterval time.Duration
	Timeout       time.Duration
}

// Finalizer is the cleanup of a kind whose objects leave something behind.
type Finalizer[T Reconciled] struct {
	// Add adds the finalizer to obj, through the API, and returns the
	// object as stored; it does nothing when obj has it.
	Add func(ctx context.Context, obj T) (T, error)
	// Finalize cleans up after a deleted obj and removes its finalizer.
	Finalize func(ctx context.Context, obj T) error
}

// waitRequeue is how often an object that waits for another (outcome
// Waiting) looks again, besides being woken when that one changes.
const waitRequeue = 30 * time.Second

// Reconcile brings obj up to date and returns when to look again. An error
// asks for a retry with backoff; its cause is already written to status.
func (kind *Kind[T, R]) Reconcile(ctx context.Context, obj T) (time.Duration, error) {
	if obj.GetDeletionTimestamp() != nil {
		if kind.Finalizer == nil {
			return 0, nil
		}
		return 0, kind.Finalizer.Finalize(ctx, obj)
	}
	schedule := kind.Schedule(obj)
	if schedule.Suspend {
		return 0, nil // an update that resumes it triggers the next run
	}
	obj = obj.DeepCopyObject().(T)
	var err error
	if kind.Finalizer != nil {
		if obj, err = kind.Finalizer.Add(ctx, obj); err != nil {
			return 0, err
		}
	}
	status := obj.ReconcileStatus()
	token, requested := ReconcileRequest(obj, *status.LastHandledReconcileAt)
	if why := conditions.NewWork(*status.Conditions, obj.GetGeneration(), *status.ObservedGeneration, requested); why != "" {
		conditions.MarkReconciling(status.Conditions, obj.GetGeneration(), why)
		if obj, err = kind.writeStatus(ctx, obj); err != nil {
			return 0, err
		}
	}

	before := obj.DeepCopyObject().(T)
	run, err := kind.RunSteps(ctx, obj)
	kind.Summarize(obj, err)
	if kind.Finish != nil {
		kind.Finish(obj, before, run, err)
	}
	*obj.ReconcileStatus().LastHandledReconcileAt = token
	if _, writeErr := kind.writeStatus(ctx, obj); writeErr != nil {
		return 0, writeErr
	}
	switch {
	case err == nil:
		return schedule.Interval, nil
	case outcome.IsStalled(err):
		return 0, nil // only an edit helps; the update triggers the next run
	case outcome.IsWaiting(err):
		return min(waitRequeue, schedule.RetryInterval), nil
	case outcome.RetryDelay(err) > 0:
		return outcome.RetryDelay(err), nil
	default:
		return 0, err
	}
}

// RunSteps runs the steps on obj in order until one fails or is up to date, and
// returns what they handed each other. It writes nothing to the API.
func (kind *Kind[T, R]) RunSteps(ctx context.Context, obj T) (*R, error) {
	run := new(R)
	if kind.Release != nil {
		defer kind.Release(run)
	}
	timed := ctx
	if timeout := kind.Schedule(obj).Timeout; timeout > 0 {
		var cancel context.CancelFunc
		timed, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	for _, step := range kind.Steps {
		stepCtx := timed
		if step.Untimed {
			stepCtx = ctx
		}
		err := step.Run(stepCtx, obj, run)
		if errors.Is(err, ErrUpToDate) {
			return run, nil
		}
		if err != nil {
			klog.FromContext(ctx).V(4).Info("Step failed", "kind", kind.Name, "object", klog.KObj(obj), "step", step.Name, "err", err.Error())
			return run, err
		}
	}
	return run, nil
}

func (kind *Kind[T, R]) writeStatus(ctx context.Context, obj T) (T, error) {
	updated, err := kind.UpdateStatus(ctx, obj)
	if err != nil {
		return obj, fmt.Errorf("writing status: %w", err)
	}
	return updated, nil
}

// RetryInterval is the longest a retry of obj waits; a Controller's Interval.
func (kind *Kind[T, R]) RetryInterval(obj T) time.Duration {
	return kind.Schedule(obj).RetryInterval
}

package helmrelease

import (
	"context"
	"fmt"
	"slices"

	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// release brings the release to the desired state, then lists its objects.
// It reads the state, runs the action it calls for, and reads it again,
// until the release is in sync or the run has done what one run may (each
// kind of action once; nothing after a remediation). Status is written
// before each action, so that a long install shows as running.
func (r *Reconciler) release(ctx context.Context, obj *v1alpha1.HelmRelease, run *run) error {
	err := r.act(ctx, obj, run)
	recordInventory(ctx, obj, run)
	return err
}

func (r *Reconciler) act(ctx context.Context, obj *v1alpha1.HelmRelease, run *run) error {
	for {
		if err := determineState(ctx, obj, run); err != nil {
			return err
		}
		if err := r.detectDrift(ctx, obj, run); err != nil {
			return err
		}
		next, err := r.nextAction(obj, run)
		if err != nil {
			return err
		}
		if next == nil {
			r.inSync(obj, run)
			return nil
		}
		if slices.Contains(run.done, next.kind) {
			return again(obj, run, nil)
		}
		if err := r.announceAction(ctx, obj, next); err != nil {
			return err
		}
		klog.FromContext(ctx).V(2).Info("Running a Helm action", "helmrelease", klog.KObj(obj), "action", next.name, "state", run.state)
		run.done = append(run.done, next.kind)
		waitWithin(ctx, run.helm)
		if err := next.do(ctx, obj, run); err != nil {
			return again(obj, run, err)
		}
		if next.kind == remediateKind {
			return again(obj, run, nil)
		}
	}
}

// inSync takes what status may lack from the release itself: the status
// write after its action lost to a conflict, or it was installed by hand.
func (r *Reconciler) inSync(obj *v1alpha1.HelmRelease, run *run) {
	recordSnapshot(obj, run.current)
	if obj.Status.LastAttemptedReleaseAction == "" {
		obj.Status.LastAttemptedReleaseAction = actionOf(run.current)
	}
}

// again ends a run that must be followed by another: after the
// RetryOnFailure interval, with backoff while the remediation has
// retries left, or never, until the desired state changes, when they are
// used up. err is a failure that left nothing in storage, else the run's
// last outcome says why the release is not ready.
func again(obj *v1alpha1.HelmRelease, run *run, err error) error {
	failure := outcome.Of(err, v1alpha1.ReconciliationFailedReason)
	if err == nil {
		failure = run.failure
	}
	if failure == nil {
		failure = outcome.Failed(v1alpha1.ReconciliationFailedReason, "release %s/%s is %s", storageNamespace(obj), ReleaseName(obj), run.state)
	}
	if every, ok := activeRetry(obj); ok {
		return outcome.RetryAfter(every, failure.Reason, "%v; retrying after %s", failure.Err, every)
	}
	rem, ok := activeRemediation(obj)
	if err != nil || !ok || !rem.exhausted() || (rem.action == v1alpha1.ReleaseActionUpgrade && rem.strategy == v1alpha1.RemediationUninstall) {
		return failure
	}
	return retriesExceeded(obj, rem)
}

// announceAction writes status saying which action runs, before it runs:
// Reconciling, and Ready Unknown for an install or upgrade, as Flux.
func (r *Reconciler) announceAction(ctx context.Context, obj *v1alpha1.HelmRelease, next *helmAction) error {
	markRunning(obj, next)
	updated, err := r.updateStatus(ctx, obj)
	if err != nil {
		return fmt.Errorf("writing status before '%s': %w", next.name, err)
	}
	obj.ResourceVersion = updated.ResourceVersion
	return nil
}

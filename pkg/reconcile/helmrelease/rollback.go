package helmrelease

import (
	"context"
	"fmt"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/release/common"
	release "helm.sh/helm/v4/pkg/release/v1"
	corev1 "k8s.io/api/core/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

func rollbackOptions(obj *v1alpha1.HelmRelease) *v1alpha1.Rollback {
	if obj.Spec.Rollback != nil {
		return obj.Spec.Rollback
	}
	return &v1alpha1.Rollback{}
}

// rollbackAction remediates a failed upgrade by rolling back to target, the
// last release that succeeded.
func (r *Reconciler) rollbackAction(obj *v1alpha1.HelmRelease, target *release.Release) helmAction {
	return helmAction{name: "rollback", kind: remediateKind, timeout: actionTimeout(obj, rollbackOptions(obj).Timeout),
		do: func(ctx context.Context, obj *v1alpha1.HelmRelease, run *run) error {
			return r.rollback(obj, run, target)
		}}
}

func (r *Reconciler) rollback(obj *v1alpha1.HelmRelease, run *run, target *release.Release) error {
	opts := rollbackOptions(obj)
	a := action.NewRollback(run.helm)
	a.Version = target.Version
	a.Timeout = actionTimeout(obj, opts.Timeout)
	a.WaitStrategy = waitStrategy(obj, opts.DisableWait)
	a.WaitForJobs = !opts.DisableWait && !opts.DisableWaitForJobs
	a.DisableHooks = opts.DisableHooks
	a.ForceReplace = opts.Force
	a.CleanupOnFail = opts.CleanupOnFail
	a.ServerSideApply = serverSideApply(opts.ServerSideApply)
	a.MaxHistory = maxHistory(obj)
	err := a.Run(ReleaseName(obj))

	to := fmt.Sprintf("%s/%s.v%d with chart %s@%s", target.Namespace, target.Name, target.Version,
		target.Chart.Name(), target.Chart.Metadata.Version)
	latest, readErr := lastRelease(run.helm, ReleaseName(obj))
	if readErr == nil && latest != nil {
		recordSnapshot(obj, latest)
	}
	if err == nil {
		run.failure = outcome.Failed(v1alpha1.RollbackSucceededReason, "Helm rollback to previous release %s succeeded", to)
		markRemediated(obj, true, run.failure)
		r.record(obj, run, corev1.EventTypeNormal, run.failure.Reason, run.failure.Error())
		return nil
	}
	obj.Status.Failures++
	run.failure = outcome.Failed(v1alpha1.RollbackFailedReason, "Helm rollback to previous release %s failed: %v", to, err)
	markRemediated(obj, false, run.failure)
	r.record(obj, run, corev1.EventTypeWarning, run.failure.Reason, run.failure.Error())
	if readErr != nil || !storedBy(run.current, latest) {
		return run.failure
	}
	return nil
}

// rollbackTarget is the newest revision before the current one that was
// deployed successfully (deployed, or superseded by a later one), as
// Flux's history holds it; nil when there is none.
func rollbackTarget(helm *action.Configuration, current *release.Release) (*release.Release, error) {
	history, err := helm.Releases.History(current.Name)
	if err != nil {
		return nil, err
	}
	var target *release.Release
	for _, r := range history {
		rel, ok := r.(*release.Release)
		if !ok || rel.Version >= current.Version || (target != nil && rel.Version < target.Version) {
			continue
		}
		if rel.Info.Status == common.StatusDeployed || rel.Info.Status == common.StatusSuperseded {
			target = rel
		}
	}
	return target, nil
}

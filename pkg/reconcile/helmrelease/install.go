package helmrelease

import (
	"context"
	"time"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/kube"
	"helm.sh/helm/v4/pkg/release/common"
	release "helm.sh/helm/v4/pkg/release/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// release runs the one action the release's state calls for, and records
// the release it leaves in status.history. Remediation (rollback,
// uninstall after a failure) and tests are not done yet.
func (r *Reconciler) release(ctx context.Context, obj *v1alpha1.HelmRelease, run *run) error {
	switch run.state {
	case stateInSync:
		// Status may not know the release yet (the status write after its
		// action lost to a conflict, or it was installed by hand): take
		// Released and history from the release itself, as Flux does.
		recordSnapshot(obj, run.current)
		if obj.Status.LastAttemptedReleaseAction == "" {
			obj.Status.LastAttemptedReleaseAction = actionOf(run.current)
		}
		return nil
	case stateAbsent:
		run.action = v1alpha1.ReleaseActionInstall
	default:
		run.action = v1alpha1.ReleaseActionUpgrade
	}
	obj.Status.LastAttemptedReleaseAction = run.action
	obj.Status.LastAttemptedGeneration = obj.Generation
	start := time.Now()
	var err error
	if run.action == v1alpha1.ReleaseActionInstall {
		err = install(ctx, obj, run)
	} else {
		err = upgrade(ctx, obj, run)
	}
	obj.Status.LastAttemptedReleaseActionDuration = &v1alpha1.Duration{Duration: time.Since(start).Round(time.Millisecond)}
	if rel, readErr := lastRelease(run.helm, ReleaseName(obj)); readErr == nil && rel != nil {
		recordSnapshot(obj, rel)
	}
	if err != nil {
		obj.Status.Failures++
		reason := v1alpha1.InstallFailedReason
		if run.action == v1alpha1.ReleaseActionInstall {
			obj.Status.InstallFailures++
		} else {
			obj.Status.UpgradeFailures++
			reason = v1alpha1.UpgradeFailedReason
		}
		return outcome.Failed(reason, "Helm %s failed for release %s/%s with chart %s@%s: %v", run.action,
			releaseNamespace(obj), ReleaseName(obj), run.chart.Name(), run.chart.Metadata.Version, err).On(v1alpha1.ReleasedCondition)
	}
	return nil
}

// actionOf is the action that made rel: its first revision is an install.
func actionOf(rel *release.Release) v1alpha1.ReleaseAction {
	if rel.Version == 1 {
		return v1alpha1.ReleaseActionInstall
	}
	return v1alpha1.ReleaseActionUpgrade
}

func install(ctx context.Context, obj *v1alpha1.HelmRelease, run *run) error {
	opts := obj.Spec.Install
	if opts == nil {
		opts = &v1alpha1.Install{}
	}
	policy := crdsPolicy(opts.CRDs, opts.SkipCRDs, v1alpha1.CRDsCreate)
	if policy == v1alpha1.CRDsCreateReplace {
		if err := applyCRDs(run.helm, run.chart, policy); err != nil {
			return err
		}
	}
	a := action.NewInstall(run.helm)
	a.ReleaseName, a.Namespace = ReleaseName(obj), releaseNamespace(obj)
	a.Timeout = actionTimeout(obj, opts.Timeout)
	a.WaitStrategy = waitStrategy(opts.DisableWait)
	a.WaitForJobs = !opts.DisableWait && !opts.DisableWaitForJobs
	a.DisableHooks = opts.DisableHooks
	a.DisableOpenAPIValidation = opts.DisableOpenAPIValidation
	a.SkipSchemaValidation = opts.DisableSchemaValidation
	a.SkipCRDs = policy != v1alpha1.CRDsCreate
	a.CreateNamespace = opts.CreateNamespace
	a.TakeOwnership = !opts.DisableTakeOwnership
	a.ServerSideApply = opts.ServerSideApply == nil || *opts.ServerSideApply
	// An uninstalled release kept in history (uninstall.keepHistory) is
	// replaced, as Flux does, rather than refused as a name in use.
	a.Replace = opts.Replace || (run.current != nil && run.current.Info.Status == common.StatusUninstalled)
	a.PostRenderer = originLabelsOf(obj)
	_, err := a.RunWithContext(ctx, run.chart, run.values)
	return err
}

func upgrade(ctx context.Context, obj *v1alpha1.HelmRelease, run *run) error {
	opts := obj.Spec.Upgrade
	if opts == nil {
		opts = &v1alpha1.Upgrade{}
	}
	if policy := crdsPolicy(opts.CRDs, false, v1alpha1.CRDsSkip); policy != v1alpha1.CRDsSkip {
		if err := applyCRDs(run.helm, run.chart, policy); err != nil {
			return err
		}
	}
	a := action.NewUpgrade(run.helm)
	a.Namespace = releaseNamespace(obj)
	a.Timeout = actionTimeout(obj, opts.Timeout)
	a.WaitStrategy = waitStrategy(opts.DisableWait)
	a.WaitForJobs = !opts.DisableWait && !opts.DisableWaitForJobs
	a.DisableHooks = opts.DisableHooks
	a.DisableOpenAPIValidation = opts.DisableOpenAPIValidation
	a.SkipSchemaValidation = opts.DisableSchemaValidation
	a.SkipCRDs = true // applied above, as the policy says
	a.ForceReplace = opts.Force
	a.CleanupOnFail = opts.CleanupOnFail
	a.ReuseValues = opts.PreserveValues
	a.ResetValues = !opts.PreserveValues
	a.TakeOwnership = !opts.DisableTakeOwnership
	a.ServerSideApply = serverSideApply(opts.ServerSideApply)
	a.MaxHistory = maxHistory(obj)
	a.PostRenderer = originLabelsOf(obj)
	_, err := a.RunWithContext(ctx, ReleaseName(obj), run.chart, run.values)
	return err
}

// waitStrategy waits for the release's objects by kstatus, or for its
// hooks only when waiting is disabled, as Flux on Helm 4.
func waitStrategy(disableWait bool) kube.WaitStrategy {
	if disableWait {
		return kube.HookOnlyStrategy
	}
	return kube.StatusWatcherStrategy
}

// serverSideApply is upgrade.serverSideApply as Helm spells it; unset is
// auto: the way the release was last applied.
func serverSideApply(mode v1alpha1.ServerSideApplyMode) string {
	switch mode {
	case v1alpha1.ServerSideApplyEnabled:
		return "true"
	case v1alpha1.ServerSideApplyDisabled:
		return "false"
	}
	return "auto"
}

// actionTimeout is the action's own timeout, else spec.timeout.
func actionTimeout(obj *v1alpha1.HelmRelease, own *v1alpha1.Duration) time.Duration {
	if own != nil && own.Duration > 0 {
		return own.Duration
	}
	return timeoutOf(obj)
}

// maxHistory is spec.maxHistory, else 5; 0 keeps every revision.
func maxHistory(obj *v1alpha1.HelmRelease) int {
	if obj.Spec.MaxHistory != nil {
		return int(*obj.Spec.MaxHistory)
	}
	return defaultMaxHistory
}

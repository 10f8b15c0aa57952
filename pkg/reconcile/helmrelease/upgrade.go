package helmrelease

import (
	"context"
	"time"

	"helm.sh/helm/v4/pkg/action"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

func upgradeOptions(obj *v1alpha1.HelmRelease) *v1alpha1.Upgrade {
	if obj.Spec.Upgrade != nil {
		return obj.Spec.Upgrade
	}
	return &v1alpha1.Upgrade{}
}

// upgradeAction upgrades the release to the chart and values asked for.
func (r *Reconciler) upgradeAction(obj *v1alpha1.HelmRelease) helmAction {
	return helmAction{name: "upgrade", kind: releaseKind, timeout: actionTimeout(obj, upgradeOptions(obj).Timeout), do: r.upgrade}
}

func (r *Reconciler) upgrade(ctx context.Context, obj *v1alpha1.HelmRelease, run *run) error {
	obj.Status.LastAttemptedReleaseAction = v1alpha1.ReleaseActionUpgrade
	start := time.Now()
	return r.released(obj, run, start, helmUpgrade(ctx, obj, run))
}

func helmUpgrade(ctx context.Context, obj *v1alpha1.HelmRelease, run *run) error {
	opts := upgradeOptions(obj)
	if policy := crdsPolicy(opts.CRDs, false, v1alpha1.CRDsSkip); policy != v1alpha1.CRDsSkip {
		if err := applyCRDs(run.helm, run.chart, policy); err != nil {
			return err
		}
	}
	a := action.NewUpgrade(run.helm)
	a.Namespace = releaseNamespace(obj)
	a.Timeout = actionTimeout(obj, opts.Timeout)
	a.WaitStrategy = waitStrategy(obj, opts.DisableWait)
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
	a.PostRenderer, a.PostRenderStrategy = postRenderersOf(obj), postRenderStrategy(obj)
	_, err := a.RunWithContext(ctx, ReleaseName(obj), run.chart, run.values)
	return err
}

package helmrelease

import (
	"context"
	"time"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/release/common"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

func installOptions(obj *v1alpha1.HelmRelease) *v1alpha1.Install {
	if obj.Spec.Install != nil {
		return obj.Spec.Install
	}
	return &v1alpha1.Install{}
}

// installAction installs the chart as the release's first revision.
func (r *Reconciler) installAction(obj *v1alpha1.HelmRelease) helmAction {
	return helmAction{name: "install", kind: releaseKind, timeout: actionTimeout(obj, installOptions(obj).Timeout), do: r.install}
}

func (r *Reconciler) install(ctx context.Context, obj *v1alpha1.HelmRelease, run *run) error {
	obj.Status.LastAttemptedReleaseAction = v1alpha1.ReleaseActionInstall
	start := time.Now()
	return r.released(obj, run, start, helmInstall(ctx, obj, run))
}

func helmInstall(ctx context.Context, obj *v1alpha1.HelmRelease, run *run) error {
	opts := installOptions(obj)
	policy := crdsPolicy(opts.CRDs, opts.SkipCRDs, v1alpha1.CRDsCreate)
	if policy == v1alpha1.CRDsCreateReplace {
		if err := applyCRDs(run.helm, run.chart, policy); err != nil {
			return err
		}
	}
	a := action.NewInstall(run.helm)
	a.ReleaseName, a.Namespace = ReleaseName(obj), releaseNamespace(obj)
	a.Timeout = actionTimeout(obj, opts.Timeout)
	a.WaitStrategy = waitStrategy(obj, opts.DisableWait)
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
	a.PostRenderer, a.PostRenderStrategy = postRenderersOf(obj), postRenderStrategy(obj)
	_, err := a.RunWithContext(ctx, run.chart, run.values)
	return err
}

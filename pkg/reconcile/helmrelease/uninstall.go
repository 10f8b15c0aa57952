package helmrelease

import (
	"context"
	"fmt"

	"helm.sh/helm/v4/pkg/action"
	corev1 "k8s.io/api/core/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

func uninstallOptions(obj *v1alpha1.HelmRelease) *v1alpha1.Uninstall {
	if obj.Spec.Uninstall != nil {
		return obj.Spec.Uninstall
	}
	return &v1alpha1.Uninstall{}
}

// uninstallRemediationAction remediates a failed install (or an upgrade
// whose remediation strategy is uninstall) by uninstalling the release, so
// that the next run installs it afresh.
func (r *Reconciler) uninstallRemediationAction(obj *v1alpha1.HelmRelease) helmAction {
	return helmAction{name: "uninstall", kind: remediateKind, timeout: actionTimeout(obj, uninstallOptions(obj).Timeout),
		do: r.uninstallRemediation}
}

func (r *Reconciler) uninstallRemediation(_ context.Context, obj *v1alpha1.HelmRelease, run *run) error {
	err := helmUninstall(run.helm, obj, ReleaseName(obj))
	cur := run.current
	of := fmt.Sprintf("%s/%s.v%d with chart %s@%s", cur.Namespace, cur.Name, cur.Version, cur.Chart.Name(), cur.Chart.Metadata.Version)
	latest, readErr := lastRelease(run.helm, ReleaseName(obj))
	if err == nil {
		run.failure = outcome.Failed(v1alpha1.UninstallSucceededReason, "Helm uninstall remediation for release %s succeeded", of)
		markRemediated(obj, true, run.failure)
		r.record(obj, run, corev1.EventTypeNormal, run.failure.Reason, run.failure.Error())
		return nil
	}
	obj.Status.Failures++
	run.failure = outcome.Failed(v1alpha1.UninstallFailedReason, "Helm uninstall remediation for release %s failed: %v", of, err)
	markRemediated(obj, false, run.failure)
	r.record(obj, run, corev1.EventTypeWarning, run.failure.Reason, run.failure.Error())
	if readErr != nil || !(latest == nil || storedBy(cur, latest)) {
		return run.failure
	}
	return nil
}

// helmUninstall uninstalls release name with spec.uninstall's options.
func helmUninstall(helm *action.Configuration, obj *v1alpha1.HelmRelease, name string) error {
	opts := uninstallOptions(obj)
	a := action.NewUninstall(helm)
	a.IgnoreNotFound = true
	a.KeepHistory = opts.KeepHistory
	a.DisableHooks = opts.DisableHooks
	a.Timeout = actionTimeout(obj, opts.Timeout)
	a.WaitStrategy = waitStrategy(obj, opts.DisableWait)
	a.DeletionPropagation = v1alpha1.DeletionPropagationBackground
	if opts.DeletionPropagation != nil {
		a.DeletionPropagation = *opts.DeletionPropagation
	}
	if _, err := a.Run(name); err != nil {
		return fmt.Errorf("uninstalling release %s: %w", name, err)
	}
	return nil
}

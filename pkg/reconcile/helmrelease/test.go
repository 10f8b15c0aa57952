package helmrelease

import (
	"context"
	"fmt"

	"helm.sh/helm/v4/pkg/action"
	corev1 "k8s.io/api/core/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

func testOptions(obj *v1alpha1.HelmRelease) *v1alpha1.Test {
	if obj.Spec.Test != nil {
		return obj.Spec.Test
	}
	return &v1alpha1.Test{}
}

// testAction runs the chart's test hooks against the current release.
func (r *Reconciler) testAction(obj *v1alpha1.HelmRelease) helmAction {
	return helmAction{name: "test", kind: testKind, timeout: actionTimeout(obj, testOptions(obj).Timeout), do: r.test}
}

func (r *Reconciler) test(ctx context.Context, obj *v1alpha1.HelmRelease, run *run) error {
	opts := testOptions(obj)
	a := action.NewReleaseTesting(run.helm)
	a.Namespace = releaseNamespace(obj)
	a.Timeout = actionTimeout(obj, opts.Timeout)
	a.Filters = map[string][]string{}
	for _, f := range opts.Filters {
		key := action.IncludeNameFilter
		if f.Exclude {
			key = action.ExcludeNameFilter
		}
		a.Filters[key] = append(a.Filters[key], f.Name)
	}
	_, shutdown, err := a.Run(ReleaseName(obj))
	if shutdown != nil {
		// Deletes the test Pods whose hook-delete-policy asks for it.
		_ = shutdown()
	}
	latest, readErr := lastRelease(run.helm, ReleaseName(obj))
	if readErr != nil || latest == nil || latest.Version != run.current.Version {
		return outcome.Failed(v1alpha1.TestFailedReason, "Helm test of release %s/%s.v%d: the release changed while it ran",
			run.current.Namespace, run.current.Name, run.current.Version)
	}
	snapshot := snapshotOf(latest)
	if snapshot.TestHooks == nil && err == nil {
		snapshot.TestHooks = &map[string]v1alpha1.TestHookStatus{} // tested: there were none to run
	}
	recordSnapshotOf(obj, snapshot)
	of := fmt.Sprintf("%s/%s.v%d with chart %s@%s", latest.Namespace, latest.Name, latest.Version, latest.Chart.Name(), latest.Chart.Metadata.Version)
	if err == nil {
		hooks := "no test hooks"
		if n := len(*snapshot.TestHooks); n > 0 {
			hooks = fmt.Sprintf("%d test hook(s) completed successfully", n)
		}
		how := outcome.Failed(v1alpha1.TestSucceededReason, "Helm test succeeded for release %s: %s", of, hooks)
		markTested(obj, true, how)
		r.record(obj, run, corev1.EventTypeNormal, how.Reason, how.Error())
		return nil
	}
	obj.Status.Failures++
	failure := outcome.Failed(v1alpha1.TestFailedReason, "Helm test failed for release %s: %v", of, err)
	markTested(obj, false, failure)
	r.record(obj, run, corev1.EventTypeWarning, failure.Reason, failure.Error())
	if snapshot.TestHooks == nil {
		return failure // no test ran: retried as it was
	}
	if rem, ok := activeRemediation(obj); ok && !rem.ignoreTestFailures {
		run.failure = failure
		countFailure(obj, rem.action)
	}
	return nil
}

// untested: tests are enabled and have not run against rel, as far as
// status.history knows.
func untested(obj *v1alpha1.HelmRelease, version int) bool {
	s := snapshotOfVersion(obj, version)
	return testOptions(obj).Enable && (s == nil || s.TestHooks == nil)
}

// failedTests: a test of the release failed, and the active remediation
// does not ignore it.
func failedTests(obj *v1alpha1.HelmRelease, version int) bool {
	rem, ok := activeRemediation(obj)
	s := snapshotOfVersion(obj, version)
	if !testOptions(obj).Enable || !ok || rem.ignoreTestFailures || s == nil || s.TestHooks == nil {
		return false
	}
	for _, hook := range *s.TestHooks {
		if hook.Phase == "Failed" {
			return true
		}
	}
	return false
}

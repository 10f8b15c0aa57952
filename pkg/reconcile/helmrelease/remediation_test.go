package helmrelease

import (
	"testing"
	"time"

	"helm.sh/helm/v4/pkg/release/common"
	release "helm.sh/helm/v4/pkg/release/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// failedRelease is a HelmRelease whose last attempted action failed
// failures times, with the given spec.
func failedRelease(action v1alpha1.ReleaseAction, failures int64, spec v1alpha1.HelmReleaseSpec) *v1alpha1.HelmRelease {
	obj := &v1alpha1.HelmRelease{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "app"}, Spec: spec}
	obj.Status.LastAttemptedReleaseAction = action
	if action == v1alpha1.ReleaseActionInstall {
		obj.Status.InstallFailures = failures
	} else {
		obj.Status.UpgradeFailures = failures
	}
	return obj
}

func upgradeRetries(retries int32) v1alpha1.HelmReleaseSpec {
	return v1alpha1.HelmReleaseSpec{Upgrade: &v1alpha1.Upgrade{Remediation: &v1alpha1.UpgradeRemediation{Retries: retries}}}
}

// decide runs the state and the decision on a release history in storage.
func decide(t *testing.T, obj *v1alpha1.HelmRelease, chartVersion string, stored ...*release.Release) (*helmAction, *run, error) {
	t.Helper()
	run := stateRun(memoryHelm(t, stored...), chartVersion, nil)
	if err := determineState(t.Context(), obj, run); err != nil {
		t.Fatal(err)
	}
	next, err := (&Reconciler{}).nextAction(obj, run)
	return next, run, err
}

func TestFailedUpgradeIsRemediatedAsTheRetriesSay(t *testing.T) {
	v1 := releaseOf("app", 1, common.StatusSuperseded, "1.0.0", nil)
	v2 := releaseOf("app", 2, common.StatusDeployed, "1.0.0", nil)
	v3 := releaseOf("app", 3, common.StatusFailed, "2.0.0", nil)
	uninstall := v1alpha1.RemediationUninstall
	never := false
	for _, tc := range []struct {
		test      string
		obj       *v1alpha1.HelmRelease
		want      string // action name, or a stall reason
		stalledOn string
	}{
		{test: "retries left: roll back", obj: failedRelease(v1alpha1.ReleaseActionUpgrade, 1, upgradeRetries(2)), want: "rollback"},
		{test: "the failure that uses up the retries is remediated, by default when there were retries",
			obj: failedRelease(v1alpha1.ReleaseActionUpgrade, 3, upgradeRetries(2)), want: "rollback"},
		{test: "unless remediateLastFailure is false", obj: failedRelease(v1alpha1.ReleaseActionUpgrade, 3,
			v1alpha1.HelmReleaseSpec{Upgrade: &v1alpha1.Upgrade{Remediation: &v1alpha1.UpgradeRemediation{Retries: 2, RemediateLastFailure: &never}}}),
			stalledOn: v1alpha1.RetriesExceededReason},
		{test: "no remediation configured: the first failure stalls, as in Flux",
			obj: failedRelease(v1alpha1.ReleaseActionUpgrade, 1, v1alpha1.HelmReleaseSpec{}), stalledOn: v1alpha1.RetriesExceededReason},
		{test: "negative retries retry forever", obj: failedRelease(v1alpha1.ReleaseActionUpgrade, 100, upgradeRetries(-1)), want: "rollback"},
		{test: "strategy uninstall", obj: failedRelease(v1alpha1.ReleaseActionUpgrade, 1,
			v1alpha1.HelmReleaseSpec{Upgrade: &v1alpha1.Upgrade{Remediation: &v1alpha1.UpgradeRemediation{Retries: 1, Strategy: &uninstall}}}),
			want: "uninstall"},
		{test: "no failure under the current desired state: upgrade", obj: failedRelease(v1alpha1.ReleaseActionUpgrade, 0, v1alpha1.HelmReleaseSpec{}),
			want: "upgrade"},
		{test: "RetryOnFailure upgrades again whatever the count", obj: failedRelease(v1alpha1.ReleaseActionUpgrade, 7,
			v1alpha1.HelmReleaseSpec{Upgrade: &v1alpha1.Upgrade{Strategy: &v1alpha1.UpgradeStrategy{Name: v1alpha1.ActionStrategyRetryOnFailure}}}),
			want: "upgrade"},
	} {
		next, run, err := decide(t, tc.obj, "2.0.0", v1, v2, v3)
		if run.state != stateFailed {
			t.Fatalf("%s: state %q, want failed", tc.test, run.state)
		}
		switch {
		case tc.stalledOn != "":
			if !outcome.IsStalled(err) || outcome.Of(err, "").Reason != tc.stalledOn {
				t.Errorf("%s: got %v, %v; want stalled %s", tc.test, next, err, tc.stalledOn)
			}
		case err != nil:
			t.Errorf("%s: %v", tc.test, err)
		case next.name != tc.want:
			t.Errorf("%s: next action %q, want %q", tc.test, next.name, tc.want)
		}
	}
}

func TestRollbackTargetIsTheLastSuccessfulRevision(t *testing.T) {
	stored := []*release.Release{
		releaseOf("app", 1, common.StatusSuperseded, "1.0.0", nil),
		releaseOf("app", 2, common.StatusDeployed, "1.1.0", nil),
		releaseOf("app", 3, common.StatusFailed, "1.2.0", nil),
		releaseOf("app", 4, common.StatusFailed, "1.3.0", nil),
	}
	helm := memoryHelm(t, stored...)
	target, err := rollbackTarget(helm, stored[3])
	if err != nil {
		t.Fatal(err)
	}
	if target == nil || target.Version != 2 {
		t.Fatalf("rollback target %v, want revision 2, the last deployed before the failures", target)
	}

	_, _, err = decide(t, failedRelease(v1alpha1.ReleaseActionUpgrade, 1, upgradeRetries(1)), "1.3.0",
		releaseOf("app", 1, common.StatusFailed, "1.0.0", nil), releaseOf("app", 2, common.StatusFailed, "1.3.0", nil))
	if !outcome.IsStalled(err) || outcome.Of(err, "").Reason != v1alpha1.MissingRollbackTargetReason {
		t.Errorf("with no successful revision: %v, want stalled MissingRollbackTarget", err)
	}
}

func TestFailedInstallIsUninstalledThenRetried(t *testing.T) {
	retries := v1alpha1.HelmReleaseSpec{Install: &v1alpha1.Install{Remediation: &v1alpha1.InstallRemediation{Retries: 1}}}
	failed := releaseOf("app", 1, common.StatusFailed, "1.0.0", nil)
	next, _, err := decide(t, failedRelease(v1alpha1.ReleaseActionInstall, 1, retries), "1.0.0", failed)
	if err != nil || next.name != "uninstall" || next.kind != remediateKind {
		t.Fatalf("a failed install with a retry left: %+v, %v; want the uninstall remediation", next, err)
	}
	next, _, err = decide(t, failedRelease(v1alpha1.ReleaseActionInstall, 1, retries), "1.0.0")
	if err != nil || next.name != "install" {
		t.Fatalf("uninstalled, with a retry left: %+v, %v; want install", next, err)
	}
	_, _, err = decide(t, failedRelease(v1alpha1.ReleaseActionInstall, 2, retries), "1.0.0")
	if !outcome.IsStalled(err) || outcome.Of(err, "").Reason != v1alpha1.RetriesExceededReason {
		t.Errorf("uninstalled, retries used up: %v, want stalled RetriesExceeded", err)
	}
}

func TestAChangedDesiredStateForgetsTheFailures(t *testing.T) {
	attempted := func() *v1alpha1.HelmRelease {
		obj := failedRelease(v1alpha1.ReleaseActionUpgrade, 3, v1alpha1.HelmReleaseSpec{})
		obj.Generation = 4
		obj.Status.Failures = 5
		obj.Status.LastAttemptedGeneration = 4
		obj.Status.LastAttemptedRevision = "1.0.0"
		obj.Status.LastAttemptedConfigDigest = valuesDigest(map[string]any{"a": "b"})
		return obj
	}
	for _, tc := range []struct {
		test    string
		change  func(obj *v1alpha1.HelmRelease, run *run)
		forgets bool
	}{
		{test: "nothing changed", change: func(*v1alpha1.HelmRelease, *run) {}},
		{test: "a new generation", change: func(obj *v1alpha1.HelmRelease, _ *run) { obj.Generation = 5 }, forgets: true},
		{test: "another chart version", change: func(_ *v1alpha1.HelmRelease, run *run) { run.chart.Metadata.Version = "1.0.1" }, forgets: true},
		{test: "other values", change: func(_ *v1alpha1.HelmRelease, run *run) { run.values = map[string]any{"a": "c"} }, forgets: true},
	} {
		obj := attempted()
		run := stateRun(nil, "1.0.0", map[string]any{"a": "b"})
		tc.change(obj, run)
		if err := recordAttempt(t.Context(), obj, run); err != nil {
			t.Fatal(err)
		}
		if forgot := obj.Status.UpgradeFailures == 0 && obj.Status.Failures == 0; forgot != tc.forgets {
			t.Errorf("%s: failures %d/%d after the attempt, want them forgotten: %v", tc.test, obj.Status.Failures, obj.Status.UpgradeFailures, tc.forgets)
		}
		if obj.Status.LastAttemptedRevision != run.chart.Metadata.Version || obj.Status.LastAttemptedGeneration != obj.Generation {
			t.Errorf("%s: the attempt is not recorded: %+v", tc.test, obj.Status)
		}
	}
}

func TestRetryOnFailureWaitsItsIntervalAndRemediationBacksOff(t *testing.T) {
	every := v1alpha1.HelmReleaseSpec{Upgrade: &v1alpha1.Upgrade{Strategy: &v1alpha1.UpgradeStrategy{
		Name: v1alpha1.ActionStrategyRetryOnFailure, RetryInterval: &v1alpha1.Duration{Duration: 42 * time.Second}}}}
	run := &run{failure: outcome.Failed(v1alpha1.UpgradeFailedReason, "Helm upgrade failed")}
	err := again(failedRelease(v1alpha1.ReleaseActionUpgrade, 1, every), run, nil)
	if outcome.RetryDelay(err) != 42*time.Second || outcome.Of(err, "").Reason != v1alpha1.UpgradeFailedReason {
		t.Errorf("RetryOnFailure: %v after %s, want UpgradeFailed after 42s", err, outcome.RetryDelay(err))
	}
	err = again(failedRelease(v1alpha1.ReleaseActionUpgrade, 1, upgradeRetries(3)), run, nil)
	if outcome.RetryDelay(err) != 0 || outcome.IsStalled(err) || err == nil {
		t.Errorf("retries left: %v, want a failure retried with backoff", err)
	}
	err = again(failedRelease(v1alpha1.ReleaseActionUpgrade, 4, upgradeRetries(3)), run, nil)
	if !outcome.IsStalled(err) {
		t.Errorf("retries used up after the remediation: %v, want stalled", err)
	}
}

func TestTestsRunOnceAndAFailedTestIsRemediatedUnlessIgnored(t *testing.T) {
	deployed := releaseOf("app", 1, common.StatusDeployed, "1.0.0", nil)
	deployed.Namespace = "ns"
	deployed.Hooks = []*release.Hook{
		{Name: "app-test", Events: []release.HookEvent{release.HookTest}},
		{Name: "app-pre-install", Events: []release.HookEvent{release.HookPreInstall},
			LastRun: release.HookExecution{StartedAt: time.Now(), Phase: release.HookPhaseSucceeded}},
	}
	tested := func(spec v1alpha1.HelmReleaseSpec, hooks *map[string]v1alpha1.TestHookStatus) *v1alpha1.HelmRelease {
		spec.Test = &v1alpha1.Test{Enable: true, IgnoreFailures: spec.Test != nil && spec.Test.IgnoreFailures}
		obj := failedRelease(v1alpha1.ReleaseActionInstall, 0, spec)
		recordSnapshot(obj, deployed)
		obj.Status.History[0].TestHooks = hooks
		return obj
	}
	if hooks := snapshotOf(deployed).TestHooks; hooks != nil {
		t.Fatalf("test hooks %v of a release whose test never ran, want none: it is untested", *hooks)
	}
	next, run, err := decide(t, tested(v1alpha1.HelmReleaseSpec{}, nil), "1.0.0", deployed)
	if err != nil || run.state != stateUntested || next.name != "test" {
		t.Fatalf("tests enabled, never run: %s, %+v, %v; want untested, test", run.state, next, err)
	}

	failed := &map[string]v1alpha1.TestHookStatus{"app-test": {Phase: "Failed"}}
	retry := v1alpha1.HelmReleaseSpec{Install: &v1alpha1.Install{Remediation: &v1alpha1.InstallRemediation{Retries: 1}}}
	obj := tested(retry, failed)
	obj.Status.InstallFailures = 1
	next, run, err = decide(t, obj, "1.0.0", deployed)
	if err != nil || run.state != stateFailed || next.name != "uninstall" {
		t.Errorf("a failed test after install, a retry left: %s, %+v, %v; want failed, uninstall", run.state, next, err)
	}

	ignored := retry
	ignored.Test = &v1alpha1.Test{IgnoreFailures: true}
	next, run, err = decide(t, tested(ignored, failed), "1.0.0", deployed)
	if err != nil || run.state != stateInSync || next != nil {
		t.Errorf("a failed test with ignoreFailures: %s, %+v, %v; want in sync, no action", run.state, next, err)
	}

	passed := &map[string]v1alpha1.TestHookStatus{"app-test": {Phase: "Succeeded"}}
	if next, run, err = decide(t, tested(retry, passed), "1.0.0", deployed); err != nil || run.state != stateInSync || next != nil {
		t.Errorf("tests passed: %s, %+v, %v; want in sync", run.state, next, err)
	}
}

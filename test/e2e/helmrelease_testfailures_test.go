package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// testFailedTestIsIgnoredOnlyWhenAsked upgrades two releases of the tested
// chart to a failing test, alike but for spec.test.ignoreFailures. As in
// Flux, the ignored failure is reported (TestSuccess False, a TestFailed
// Event, the failure counted in status.failures) but neither counted
// against the upgrade's retries nor remediated: Ready stays True from the
// upgrade, also at the next reconcile. The other release is rolled back.
func testFailedTestIsIgnoredOnlyWhenAsked(t *testing.T, ns string) {
	spec := func(ignore bool) string {
		return fmt.Sprintf("  test:\n    enable: true\n    ignoreFailures: %t\n    filters:\n    - name: %%s-excluded\n      exclude: true\n"+
			"  upgrade:\n    remediation:\n      remediateLastFailure: true\n", ignore)
	}
	names := map[string]bool{"lenient": true, "strict": false}
	for name, ignore := range names {
		manifest := strings.Replace(helmReleaseManifest(name, fmt.Sprintf(spec(ignore), name)), "chart: app", "chart: tested", 1)
		kubectlWithInput(t, manifest, "apply", "-n", ns, "-f", "-")
	}
	for name := range names {
		// Ready is TestSucceeded for strict, InstallSucceeded for lenient:
		// tests whose failures are ignored do not make it, as in Flux.
		kubectlWait(t, 3*time.Minute, `--for=jsonpath={.status.conditions[?(@.type=="TestSuccess")].reason}=TestSucceeded`, "helmrelease/"+name, "-n", ns)
		kubectlWait(t, time.Minute, "--for=condition=Ready", "helmrelease/"+name, "-n", ns)
	}
	for name := range names {
		kubectl(t, "patch", "helmrelease", name, "-n", ns, "--type=merge", "-p", `{"spec":{"values":{"testOutcome":"failed"}}}`)
	}
	for name := range names {
		kubectlWait(t, 3*time.Minute, `--for=jsonpath={.status.conditions[?(@.type=="TestSuccess")].reason}=TestFailed`, "helmrelease/"+name, "-n", ns)
		waitForEventOf(t, ns, "HelmRelease", name, "TestFailed", "Helm test failed for release "+ns+"/"+name+".v2 with chart tested@1.0.0")
	}

	// strict: the failed test of v2 is remediated by a rollback (v3).
	kubectlWait(t, 3*time.Minute, `--for=jsonpath={.status.conditions[?(@.type=="Remediated")].reason}=RollbackSucceeded`, "helmrelease/strict", "-n", ns)
	if got := conditionStatus(t, ns, "helmrelease/strict", "Ready"); got != "False" {
		t.Errorf("strict: Ready %q after the rollback of its failed test, want False", got)
	}
	if got, want := releaseStatus(t, ns, "strict"), "installFailures= upgradeFailures=1 history=3/deployed remediated=RollbackSucceeded"; got != want {
		t.Errorf("strict: status %q, want %q", got, want)
	}

	// lenient: v2 stays, Ready from its upgrade, the failure only reported.
	kubectlWait(t, time.Minute, "--for=condition=Ready", "helmrelease/lenient", "-n", ns)
	reconcileHelmRelease(t, ns, "lenient") // a later run does not remediate it either
	if reason, message := readyConditionOf(t, ns, "helmrelease/lenient"); reason != "UpgradeSucceeded" ||
		message != "Helm upgrade succeeded for release "+ns+"/lenient.v2 with chart tested@1.0.0" {
		t.Errorf("lenient: Ready %s %q, want UpgradeSucceeded of v2", reason, message)
	}
	if got := conditionStatus(t, ns, "helmrelease/lenient", "Ready"); got != "True" {
		t.Errorf("lenient: Ready %q, want True", got)
	}
	if got, want := releaseStatus(t, ns, "lenient"), "installFailures= upgradeFailures= history=2/deployed remediated="; got != want {
		t.Errorf("lenient: status %q, want %q (no failure counted, no rollback)", got, want)
	}
	if got := kubectl(t, "get", "helmrelease", "lenient", "-n", ns, "-o",
		`jsonpath={.status.failures} {.status.history[0].testHooks.lenient-test.phase} {.status.conditions[?(@.type=="TestSuccess")].status}`); got != "1 Failed False" {
		t.Errorf("lenient: failures, test phase, TestSuccess %q, want \"1 Failed False\"", got)
	}
	if out := kubectl(t, "get", "secrets", "-n", ns, "-l", "owner=helm,name=lenient", "-o", "name"); strings.Contains(out, "lenient.v3") {
		t.Errorf("lenient: a v3 of the release exists, want none (no rollback):\n%s", out)
	}
}

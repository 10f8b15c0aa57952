package e2e

import (
	"strings"
	"testing"
	"time"

	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
)

// Values that make the workload chart's Deployment invalid: the API server
// refuses it, so the Helm action fails and leaves a failed release.
const invalidReplicas = `{"spec":{"values":{"replicas":-1}}}`

// releaseStatus is the HelmRelease's status fields remediation tests read,
// in one read.
func releaseStatus(t *testing.T, ns, name string) string {
	t.Helper()
	return kubectl(t, "get", "helmrelease", name, "-n", ns, "-o", `jsonpath=`+
		`installFailures={.status.installFailures} upgradeFailures={.status.upgradeFailures} `+
		`history={.status.history[0].version}/{.status.history[0].status} `+
		`remediated={.status.conditions[?(@.type=="Remediated")].reason}`)
}

func testFailedUpgradeIsRolledBackThenStalls(t *testing.T, ns string) {
	applyHelmRelease(t, ns, "web", "  upgrade:\n    remediation:\n      retries: 1\n  values:\n    replicas: 1\n")
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmrelease/web", "-n", ns)

	// v2 fails and is rolled back (v3); the one retry fails (v4) and, being
	// the last, is rolled back too (v5); then the release stalls.
	kubectl(t, "patch", "helmrelease", "web", "-n", ns, "--type=merge", "-p", invalidReplicas)
	kubectlWait(t, 3*time.Minute, `--for=jsonpath={.status.conditions[?(@.type=="Stalled")].reason}=RetriesExceeded`, "helmrelease/web", "-n", ns)
	if got, want := releaseStatus(t, ns, "web"), "installFailures= upgradeFailures=2 history=5/deployed remediated=RollbackSucceeded"; got != want {
		t.Errorf("status %q, want %q", got, want)
	}
	if reason, message := readyConditionOf(t, ns, "helmrelease/web"); reason != "RetriesExceeded" ||
		!strings.Contains(message, "Failed to upgrade after 2 attempt(s): Helm rollback to previous release "+ns+"/web.v3 with chart app@1.0.0 succeeded") {
		t.Errorf("Ready %s %q, want RetriesExceeded saying the rollback to v3 after 2 failed upgrades", reason, message)
	}
	if got := kubectl(t, "get", "deployment", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}"); got != "1" {
		t.Errorf("the rolled back Deployment has %s replicas, want the last good release's 1", got)
	}
	waitForEventOf(t, ns, "HelmRelease", "web", "UpgradeFailed", "Helm upgrade failed for release "+ns+"/web with chart app@1.0.0")
	waitForEventOf(t, ns, "HelmRelease", "web", "RollbackSucceeded", "Helm rollback to previous release "+ns+"/web.v1 with chart app@1.0.0 succeeded")

	// A reset request forgets the failures: the same two tries again (v6
	// to v9), stalled once more.
	requestWith(t, ns, "web", "reconcile.fluxcd.io/resetAt", "reset-1")
	kubectlWait(t, 3*time.Minute, "--for=jsonpath={.status.history[0].version}=9", "helmrelease/web", "-n", ns)
	kubectlWait(t, time.Minute, `--for=jsonpath={.status.conditions[?(@.type=="Stalled")].reason}=RetriesExceeded`, "helmrelease/web", "-n", ns)
	if got := kubectl(t, "get", "helmrelease", "web", "-n", ns, "-o", "jsonpath={.status.lastHandledResetAt} {.status.upgradeFailures}"); got != "reset-1 2" {
		t.Errorf("after the reset: lastHandledResetAt and upgradeFailures %q, want \"reset-1 2\"", got)
	}

	// A new desired state forgets the failures and upgrades.
	kubectl(t, "patch", "helmrelease", "web", "-n", ns, "--type=merge", "-p", `{"spec":{"values":{"replicas":2}}}`)
	kubectlWait(t, 3*time.Minute, `--for=jsonpath={.status.conditions[?(@.type=="Ready")].reason}=UpgradeSucceeded`, "helmrelease/web", "-n", ns)
	if got, want := releaseStatus(t, ns, "web"), "installFailures= upgradeFailures= history=10/deployed remediated="; got != want {
		t.Errorf("after fixing the values: status %q, want %q", got, want)
	}
	if exists(t, ns, "helmrelease/web") && conditionStatus(t, ns, "helmrelease/web", "Stalled") != "" {
		t.Error("the release is Ready and still Stalled")
	}
}

func testFailedInstallIsUninstalledAndRetried(t *testing.T, ns string) {
	applyHelmRelease(t, ns, "web", "  install:\n    remediation:\n      retries: 1\n  values:\n    replicas: -1\n")
	kubectlWait(t, 3*time.Minute, `--for=jsonpath={.status.conditions[?(@.type=="Stalled")].reason}=RetriesExceeded`, "helmrelease/web", "-n", ns)
	// The first install's release was uninstalled, the retry's is kept.
	if got, want := releaseStatus(t, ns, "web"), "installFailures=2 upgradeFailures= history=1/failed remediated="; got != want {
		t.Errorf("status %q, want %q", got, want)
	}
	waitForEventOf(t, ns, "HelmRelease", "web", "UninstallSucceeded", "Helm uninstall remediation for release "+ns+"/web.v1 with chart app@1.0.0 succeeded")
	waitForEventOf(t, ns, "HelmRelease", "web", "InstallFailed", "Helm install failed for release "+ns+"/web with chart app@1.0.0")
	if got := conditionStatus(t, ns, "helmrelease/web", "Released"); got != "False" {
		t.Errorf("Released is %q, want False", got)
	}
}

func testRetryOnFailureRetriesAfterItsInterval(t *testing.T, ns string) {
	strategy := "    strategy:\n      name: RetryOnFailure\n      retryInterval: 3s\n"
	applyHelmRelease(t, ns, "web", "  install:\n"+strategy+"  upgrade:\n"+strategy+"  values:\n    replicas: -1\n")
	// The install fails (v1); each retry is an upgrade (v2, v3), which
	// retries as the upgrade's strategy says: never a remediation, never
	// stalled.
	kubectlWait(t, 3*time.Minute, "--for=create", "secret/sh.helm.release.v1.web.v3", "-n", ns)
	if got := conditionStatus(t, ns, "helmrelease/web", "Stalled"); got != "" {
		t.Errorf("RetryOnFailure stalled: Stalled=%s", got)
	}
	if reason, message := readyConditionOf(t, ns, "helmrelease/web"); !strings.HasSuffix(reason, "Failed") || !strings.Contains(message, "retrying after 3s") {
		t.Errorf("Ready %s %q, want the failure and 'retrying after 3s'", reason, message)
	}
	if got := kubectl(t, "get", "helmrelease", "web", "-n", ns, "-o", `jsonpath={.status.conditions[?(@.type=="Remediated")].reason}`); got != "" {
		t.Errorf("RetryOnFailure remediated: %s", got)
	}

	kubectl(t, "patch", "helmrelease", "web", "-n", ns, "--type=merge", "-p", `{"spec":{"values":{"replicas":1}}}`)
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmrelease/web", "-n", ns)
	if got := kubectl(t, "get", "deployment", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}"); got != "1" {
		t.Errorf("Deployment has %s replicas, want 1", got)
	}
}

func testReleaseIsTestedAndAFailedTestRemediated(t *testing.T, ns string) {
	manifest := strings.Replace(helmReleaseManifest("web", "  test:\n    enable: true\n    filters:\n    - name: web-excluded\n      exclude: true\n"),
		"chart: app", "chart: tested", 1)
	kubectlWithInput(t, manifest, "apply", "-n", ns, "-f", "-")
	kubectlWait(t, 3*time.Minute, `--for=jsonpath={.status.conditions[?(@.type=="Ready")].reason}=TestSucceeded`, "helmrelease/web", "-n", ns)
	if _, message := readyConditionOf(t, ns, "helmrelease/web"); message != "Helm test succeeded for release "+ns+"/web.v1 with chart tested@1.0.0: 1 test hook(s) completed successfully" {
		t.Errorf("Ready message %q, want the one test hook that the filter leaves to have succeeded", message)
	}
	if got := kubectl(t, "get", "helmrelease", "web", "-n", ns, "-o", "jsonpath={.status.history[0].testHooks}"); !strings.Contains(got, `"web-test":{`) ||
		!strings.Contains(got, `"phase":"Succeeded"`) || strings.Contains(got, "web-excluded") {
		t.Errorf("history[0].testHooks %s, want web-test Succeeded and not the excluded hook", got)
	}

	// A failing test of the upgrade is remediated by a rollback; with no
	// retries the release then stalls.
	kubectl(t, "patch", "helmrelease", "web", "-n", ns, "--type=merge", "-p",
		`{"spec":{"values":{"testOutcome":"failed"},"upgrade":{"remediation":{"remediateLastFailure":true}}}}`)
	kubectlWait(t, 3*time.Minute, `--for=jsonpath={.status.conditions[?(@.type=="Stalled")].reason}=RetriesExceeded`, "helmrelease/web", "-n", ns)
	if got, want := releaseStatus(t, ns, "web"), "installFailures= upgradeFailures=1 history=3/deployed remediated=RollbackSucceeded"; got != want {
		t.Errorf("status %q, want %q", got, want)
	}
	if got := conditionStatus(t, ns, "helmrelease/web", "TestSuccess"); got != "False" {
		t.Errorf("TestSuccess %q, want False", got)
	}
	waitForEventOf(t, ns, "HelmRelease", "web", "TestFailed", "Helm test failed for release "+ns+"/web.v2 with chart tested@1.0.0")
}

// testedChart is the workload chart with two test hooks: web-test, which
// ends as the value testOutcome says (kwok's stages), and web-excluded,
// which always fails.
func testedChart(name, version string) *chart.Chart {
	c := workloadChart(name, version)
	c.Raw[0].Data = append(c.Raw[0].Data, []byte("testOutcome: succeeded\n")...)
	for hook, outcome := range map[string]string{"test": "{{ .Values.testOutcome }}", "excluded": "failed"} {
		c.Templates = append(c.Templates, &common.File{Name: "templates/" + hook + ".yaml", Data: []byte(`apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-` + hook + `
  labels:
    kwok.gitops.io/pod: ` + outcome + `
  annotations:
    helm.sh/hook: test
    helm.sh/hook-delete-policy: before-hook-creation
spec:
  restartPolicy: Never
  containers:
  - name: test
    image: registry.k8s.io/pause:3.10
`)})
	}
	return c
}

func testUnreadyUpgradeIsUninstalled(t *testing.T, ns string) {
	applyHelmRelease(t, ns, "web", `  install:
    timeout: 5s
  upgrade:
    timeout: 5s
    remediation:
      strategy: uninstall
      remediateLastFailure: true
`)
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmrelease/web", "-n", ns)

	// kwok keeps the new Pods unready: the upgrade waits 5s and fails, the
	// release is uninstalled, and installed anew (where it fails the same
	// way, with no retries left).
	kubectl(t, "patch", "helmrelease", "web", "-n", ns, "--type=merge", "-p", `{"spec":{"values":{"pod":"unready"}}}`)
	waitForEventOf(t, ns, "HelmRelease", "web", "UpgradeFailed", "Helm upgrade failed for release "+ns+"/web with chart app@1.0.0")
	waitForEventOf(t, ns, "HelmRelease", "web", "UninstallSucceeded", "Helm uninstall remediation for release "+ns+"/web.v2 with chart app@1.0.0 succeeded")
	kubectlWait(t, 3*time.Minute, `--for=jsonpath={.status.conditions[?(@.type=="Stalled")].reason}=RetriesExceeded`, "helmrelease/web", "-n", ns)
	if _, message := readyConditionOf(t, ns, "helmrelease/web"); !strings.Contains(message, "Failed to install after 1 attempt(s)") {
		t.Errorf("Ready message %q, want the reinstall's failure", message)
	}
	if got := kubectl(t, "get", "helmrelease", "web", "-n", ns, "-o", "jsonpath={.status.history[0].version}"); got != "1" {
		t.Errorf("history[0] is revision %s, want 1: the uninstalled release's history is gone", got)
	}
}

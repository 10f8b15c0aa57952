package e2e

import (
	"strings"
	"testing"
	"time"
)

// Drift detection of HelmReleases: the objects of a release, changed or
// deleted by hand, found by a server-side apply dry-run at the next
// reconcile, and applied again (no new Helm revision) or only reported.

// reconcileHelmRelease asks for a reconcile of HelmRelease name and waits
// until it has been handled.
func reconcileHelmRelease(t *testing.T, ns, name string) {
	t.Helper()
	token := "drift-" + randomHex(t)[:8]
	kubectl(t, "annotate", "--overwrite", "helmrelease", name, "-n", ns, "reconcile.fluxcd.io/requestedAt="+token)
	kubectlWait(t, 3*time.Minute, "--for=jsonpath={.status.lastHandledReconcileAt}="+token, "helmrelease/"+name, "-n", ns)
}

func driftedCondition(t *testing.T, ns, name string) string {
	t.Helper()
	return kubectl(t, "get", "helmrelease", name, "-n", ns, "-o",
		`jsonpath={.status.conditions[?(@.type=="Drifted")].status} {.status.conditions[?(@.type=="Drifted")].reason}`)
}

func testDriftIsCorrectedWhenEnabled(t *testing.T, ns string) {
	applyHelmRelease(t, ns, "web", "  driftDetection:\n    mode: enabled\n")
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmrelease/web", "-n", ns)
	kubectlWait(t, time.Minute, `--for=jsonpath={.status.conditions[?(@.type=="Drifted")].reason}=NoDriftDetected`, "helmrelease/web", "-n", ns)

	kubectl(t, "patch", "configmap", "web", "-n", ns, "--type=merge", "-p", `{"data":{"greeting":"changed by hand"}}`)
	kubectl(t, "delete", "service", "web", "-n", ns)
	reconcileHelmRelease(t, ns, "web")

	kubectlWait(t, time.Minute, "--for=jsonpath={.data.greeting}=hi", "configmap/web", "-n", ns)
	kubectlWait(t, time.Minute, "--for=create", "service/web", "-n", ns)
	waitForEventOf(t, ns, "HelmRelease", "web", "DriftDetected", "ConfigMap/"+ns+"/web changed")
	waitForEventOf(t, ns, "HelmRelease", "web", "DriftDetected", "Service/"+ns+"/web deleted")
	waitForEventOf(t, ns, "HelmRelease", "web", "DriftCorrected", "Service/"+ns+"/web created")
	if got := driftedCondition(t, ns, "web"); got != "False NoDriftDetected" {
		t.Errorf("Drifted is %q after the correction, want False NoDriftDetected", got)
	}
	if reason, message := readyConditionOf(t, ns, "helmrelease/web"); reason != "InstallSucceeded" {
		t.Errorf("Ready %s %q, want InstallSucceeded: the release itself did not change", reason, message)
	}
	if got := kubectl(t, "get", "helmrelease", "web", "-n", ns, "-o", "jsonpath={.status.history[0].version}"); got != "1" {
		t.Errorf("the drift was corrected with Helm revision %s; want none after 1, no upgrade", got)
	}
	// Applied as Helm applies it, so that Helm still owns it.
	if got := kubectl(t, "get", "service", "web", "-n", ns, "-o",
		`jsonpath={.metadata.labels.app\.kubernetes\.io/managed-by} {.metadata.annotations.meta\.helm\.sh/release-name} {.metadata.labels.helm\.toolkit\.fluxcd\.io/name}`); got != "Helm web web" {
		t.Errorf("the restored Service has Helm's marks and origin label %q, want \"Helm web web\"", got)
	}
	if out := kubectl(t, "get", "service", "web", "-n", ns, "-o", "jsonpath={.metadata.managedFields[*].manager}"); !strings.Contains(out, "gitops-apiserver") {
		t.Errorf("the restored Service's field managers are %q, want Helm's of this server, gitops-apiserver", out)
	}
}

func testDriftIsOnlyReportedWhenWarn(t *testing.T, ns string) {
	applyHelmRelease(t, ns, "web", "  driftDetection:\n    mode: warn\n")
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmrelease/web", "-n", ns)

	kubectl(t, "patch", "configmap", "web", "-n", ns, "--type=merge", "-p", `{"data":{"greeting":"changed by hand"}}`)
	reconcileHelmRelease(t, ns, "web")

	if got := driftedCondition(t, ns, "web"); got != "True DriftDetected" {
		t.Errorf("Drifted is %q, want True DriftDetected", got)
	}
	if got := conditionStatus(t, ns, "helmrelease/web", "Ready"); got != "True" {
		t.Errorf("Ready is %q with a drift only warned of, want True", got)
	}
	waitForEventOf(t, ns, "HelmRelease", "web", "DriftDetected", "ConfigMap/"+ns+"/web changed")
	if got := kubectl(t, "get", "configmap", "web", "-n", ns, "-o", "jsonpath={.data.greeting}"); got != "changed by hand" {
		t.Errorf("greeting %q: warn corrected the drift", got)
	}
	if out := kubectl(t, "get", "events", "-n", ns, "--field-selector", "involvedObject.name=web,reason=DriftCorrected", "-o", "name"); out != "" {
		t.Errorf("warn corrected the drift: %s", out)
	}
}

func testDriftIgnoreRulesAndDisabledLabelAreHonoured(t *testing.T, ns string) {
	applyHelmRelease(t, ns, "web", `  driftDetection:
    mode: enabled
    ignore:
    - paths: ["/data/greeting"]
      target:
        kind: ConfigMap
`)
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmrelease/web", "-n", ns)

	kubectl(t, "patch", "configmap", "web", "-n", ns, "--type=merge", "-p", `{"data":{"greeting":"changed by hand","extra":"changed too"}}`)
	kubectl(t, "label", "deployment", "web", "-n", ns, "helm.toolkit.fluxcd.io/driftDetection=disabled")
	kubectl(t, "scale", "deployment", "web", "-n", ns, "--replicas=2")
	reconcileHelmRelease(t, ns, "web")

	// The drift outside the ignored path is corrected; the rest stays.
	kubectlWait(t, time.Minute, "--for=jsonpath={.data.extra}=none", "configmap/web", "-n", ns)
	if got := kubectl(t, "get", "configmap", "web", "-n", ns, "-o", "jsonpath={.data.greeting}"); got != "changed by hand" {
		t.Errorf("greeting %q: the ignored path was corrected", got)
	}
	if got := kubectl(t, "get", "deployment", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}"); got != "2" {
		t.Errorf("replicas %q: the Deployment labelled driftDetection: disabled was corrected", got)
	}
	waitForEventOf(t, ns, "HelmRelease", "web", "DriftDetected", "ConfigMap/"+ns+"/web changed")
	events := kubectl(t, "get", "events", "-n", ns, "--field-selector", "involvedObject.kind=HelmRelease,involvedObject.name=web",
		"-o", "jsonpath={range .items[*]}{.message}{\"\\n\"}{end}")
	if strings.Contains(events, "Deployment/"+ns+"/web") {
		t.Errorf("the Deployment labelled driftDetection: disabled is named in Events:\n%s", events)
	}
	if got := driftedCondition(t, ns, "web"); got != "False NoDriftDetected" {
		t.Errorf("Drifted is %q after the correction, want False NoDriftDetected", got)
	}
}

package e2e

import (
	"strings"
	"testing"
	"time"
)

// What `flux reconcile hr --force` and `--reset` set: the request token on
// both annotations.
func requestWith(t *testing.T, ns, name, annotation, token string) {
	t.Helper()
	kubectl(t, "annotate", "--overwrite", "helmrelease", name, "-n", ns,
		"reconcile.fluxcd.io/requestedAt="+token, annotation+"="+token)
}

func testForceRequestUpgradesAnInSyncRelease(t *testing.T, ns string) {
	applyHelmRelease(t, ns, "web", "")
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmrelease/web", "-n", ns)
	requestWith(t, ns, "web", "reconcile.fluxcd.io/forceAt", "force-1")
	kubectlWait(t, 3*time.Minute, "--for=jsonpath={.status.history[0].version}=2", "helmrelease/web", "-n", ns)
	kubectlWait(t, time.Minute, "--for=jsonpath={.status.lastHandledForceAt}=force-1", "helmrelease/web", "-n", ns)
	kubectlWait(t, time.Minute, `--for=jsonpath={.status.conditions[?(@.type=="Ready")].reason}=UpgradeSucceeded`, "helmrelease/web", "-n", ns)

	// The same token again is no new request: no third revision.
	kubectl(t, "annotate", "--overwrite", "helmrelease", "web", "-n", ns, "reconcile.fluxcd.io/requestedAt=plain-2")
	kubectlWait(t, time.Minute, "--for=jsonpath={.status.lastHandledReconcileAt}=plain-2", "helmrelease/web", "-n", ns)
	if got := kubectl(t, "get", "helmrelease", "web", "-n", ns, "-o", "jsonpath={.status.history[0].version}"); got != "2" {
		t.Errorf("a reconcile request without force made revision %s, want none after 2", got)
	}
}

func testMovedReleaseIsUninstalledAndInstalledAnew(t *testing.T, ns string) {
	applyHelmRelease(t, ns, "web", "  releaseName: web\n")
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmrelease/web", "-n", ns)
	target := newNamespace(t)
	kubectl(t, "patch", "helmrelease", "web", "-n", ns, "--type=merge", "-p", `{"spec":{"targetNamespace":"`+target+`"}}`)
	kubectlWait(t, 3*time.Minute, "--for=jsonpath={.status.history[0].namespace}="+target, "helmrelease/web", "-n", ns)
	kubectlWait(t, time.Minute, "--for=condition=Ready", "helmrelease/web", "-n", ns)
	kubectlWait(t, time.Minute, "--for=delete", "deployment/web", "-n", ns)
	kubectl(t, "get", "deployment", "web", "-n", target)
	if got := kubectl(t, "get", "helmrelease", "web", "-n", ns, "-o", "jsonpath={.status.history[*].version}"); got != "1" {
		t.Errorf("history versions %q, want only the new release's 1", got)
	}
	waitForEventOf(t, ns, "HelmRelease", "web", "UninstallSucceeded", "target namespace changed from "+ns+" to "+target)
}

func testSwitchToChartRefDeletesTheTemplatesHelmChart(t *testing.T, ns string) {
	applyHelmRelease(t, ns, "web", "")
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmrelease/web", "-n", ns)
	applyHelmChart(t, ns, "own", "app", "HelmRepository", "charts", "10m", "")
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmchart/own", "-n", ns)

	kubectl(t, "patch", "helmrelease", "web", "-n", ns, "--type=merge", "-p", `{"spec":{"chart":null,"chartRef":{"kind":"HelmChart","name":"own"}}}`)
	kubectlWait(t, 3*time.Minute, "--for=delete", "helmchart/"+ns+"-web", "-n", ns)
	waitForObservedGeneration(t, ns, "helmrelease/web")
	kubectlWait(t, time.Minute, "--for=condition=Ready", "helmrelease/web", "-n", ns)
	if got := kubectl(t, "get", "helmrelease", "web", "-n", ns, "-o", "jsonpath={.status.helmChart}"); got != "" {
		t.Errorf("status.helmChart %q after switching to chartRef, want none", got)
	}
	// The same chart version and values: the release stays as it was.
	if got := kubectl(t, "get", "helmrelease", "web", "-n", ns, "-o", "jsonpath={.status.history[0].version}"); got != "1" {
		t.Errorf("switching to the same chart by chartRef made revision %s, want 1 kept", got)
	}
	if !strings.Contains(kubectl(t, "get", "helmchart", "-n", ns, "-o", "name"), "helmchart.gitops.io/own") {
		t.Error("the chartRef's own HelmChart is gone")
	}
}

// waitForObservedGeneration waits until the object's status is of its
// current generation, so what status says next is about the latest spec.
func waitForObservedGeneration(t *testing.T, ns, object string) {
	t.Helper()
	generation := kubectl(t, "get", object, "-n", ns, "-o", "jsonpath={.metadata.generation}")
	kubectlWait(t, 3*time.Minute, "--for=jsonpath={.status.observedGeneration}="+generation, object, "-n", ns)
}

package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// The server runs with --override-manager=e2e-intruder (main_test.go):
// what that field manager changes on the objects of a Kustomization or a
// HelmRelease (drift detection enabled) is taken back, what it adds is
// removed, and its managed fields are gone.

// intruderManager is the field manager the e2e server overrides.
const intruderManager = "e2e-intruder"

// intrude server-side applies, as intruderManager and taking over the
// fields it sets, ConfigMap name with data key changed and a key of its own.
func intrude(t *testing.T, ns, name, key string) {
	t.Helper()
	manifest := fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n  namespace: %s\ndata:\n  %s: changed by the intruder\n  intruder: was here\n",
		name, ns, key)
	kubectlWithInput(t, manifest, "apply", "--server-side", "--force-conflicts", "--field-manager="+intruderManager, "-f", "-")
	if got := kubectl(t, "get", "configmap", name, "-n", ns, "-o", "jsonpath={.data.intruder}"); got != "was here" {
		t.Fatalf("the intruder's apply did not take: data.intruder %q", got)
	}
}

// assertIntruderGone checks that ConfigMap name holds nothing of the
// intruder: neither its key nor managed fields of it.
func assertIntruderGone(t *testing.T, ns, name string) {
	t.Helper()
	got := kubectl(t, "get", "configmap", name, "-n", ns, "-o", `jsonpath={.data.intruder}|{.metadata.managedFields[*].manager}`)
	added, managers, _ := strings.Cut(got, "|")
	if added != "" {
		t.Errorf("ConfigMap %s keeps the intruder's data.intruder %q", name, added)
	}
	if strings.Contains(managers, intruderManager) {
		t.Errorf("ConfigMap %s keeps managed fields of %s: managers %s", name, intruderManager, managers)
	}
}

func testOverrideManagerIsUndoneByTheApply(t *testing.T, a *kustomizeApp) {
	revision := a.push(t, map[string]string{"override/config.yaml": configMap("taken", a.ns, "v1")})
	a.applyKustomization(t, "override", "./override", "")
	a.waitForReady(t, "override", revision)

	intrude(t, a.ns, "taken", "value")
	request := requestReconcile(t, a.ns, "override")
	kubectlWait(t, time.Minute, "--for=jsonpath={.status.lastHandledReconcileAt}="+request, "kustomization/override", "-n", a.ns)
	if got := kubectl(t, "get", "configmap", "taken", "-n", a.ns, "-o", "jsonpath={.data.value}"); got != "v1" {
		t.Errorf("data.value %q, want v1 applied back", got)
	}
	assertIntruderGone(t, a.ns, "taken")
}

func testOverrideManagerIsUndoneByDriftCorrection(t *testing.T, ns string) {
	applyHelmRelease(t, ns, "web", "  driftDetection:\n    mode: enabled\n")
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmrelease/web", "-n", ns)

	intrude(t, ns, "web", "greeting")
	reconcileHelmRelease(t, ns, "web")
	if got := kubectl(t, "get", "configmap", "web", "-n", ns, "-o", "jsonpath={.data.greeting}"); got != "hi" {
		t.Errorf("data.greeting %q, want hi applied back", got)
	}
	assertIntruderGone(t, ns, "web")
	waitForEventOf(t, ns, "HelmRelease", "web", "DriftDetected", "ConfigMap/"+ns+"/web changed")
}

package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Kustomization features of ordering, identity and health.
// TestKustomizationReconciler runs them.

// A dependency may be of another kind: a Kustomization waits for a
// GitRepository, which Flux cannot express.
func testDependsOnGitRepository(t *testing.T, a *kustomizeApp) {
	revision := a.push(t, map[string]string{"gated/config.yaml": configMap("gated", a.ns, "1")})
	// A GitRepository of a branch that does not exist yet is not Ready.
	applyGitRepository(t, a.ns, "gate", a.repo.url, "release", "git-auth", "1h")
	kubectlWait(t, time.Minute, "--for=condition=Ready=False", "gitrepository/gate", "-n", a.ns)

	a.applyKustomization(t, "gated", "./gated", "  dependsOn:\n  - kind: GitRepository\n    name: gate\n")
	a.waitForNotReady(t, "gated", "DependencyNotReady", "dependency 'GitRepository/"+a.ns+"/gate' is not ready")
	if exists(t, a.ns, "configmap/gated") {
		t.Fatal("gated applied its objects before the GitRepository it depends on was Ready")
	}

	// Events carry the object's event.toolkit.fluxcd.io annotations as
	// metadata, and the revision, as Flux's do.
	kubectl(t, "annotate", "kustomization", "gated", "-n", a.ns, "event.toolkit.fluxcd.io/team=payments")

	a.repo.git("push", "--quiet", "origin", "main:release")
	kubectl(t, "annotate", "gitrepository", "gate", "-n", a.ns, "--overwrite",
		"reconcile.fluxcd.io/requestedAt="+time.Now().Format(time.RFC3339Nano))
	kubectlWait(t, time.Minute, "--for=condition=Ready", "gitrepository/gate", "-n", a.ns)
	// The GitRepository becoming Ready wakes the Kustomization; its interval
	// is ten minutes.
	a.waitForReady(t, "gated", revision)
	if !exists(t, a.ns, "configmap/gated") {
		t.Error("gated is Ready but its object is missing")
	}
	waitForEventOf(t, a.ns, "Kustomization", "gated", "Progressing", "ConfigMap/"+a.ns+"/gated created")
	metadata := kubectl(t, "get", "events", "-n", a.ns, "--field-selector", "involvedObject.name=gated,reason=Progressing",
		"-o", `jsonpath={.items[0].metadata.annotations.gitops\.io/revision} {.items[0].metadata.annotations.gitops\.io/team}`)
	if metadata != revision+" payments" {
		t.Errorf("the Progressing Event's metadata is %q, want revision %s and team payments", metadata, revision)
	}
}

func testDependsOnWaits(t *testing.T, a *kustomizeApp) {
	revision := a.push(t, map[string]string{
		"first/config.yaml":  configMap("first", a.ns, "1"),
		"second/config.yaml": configMap("second", a.ns, "2"),
	})
	a.applyKustomization(t, "second", "./second", "  dependsOn:\n  - name: first\n")
	a.waitForNotReady(t, "second", "DependencyNotReady", "dependency '"+a.ns+"/first'")
	if exists(t, a.ns, "configmap/second") {
		t.Fatal("second applied its objects before its dependency existed")
	}
	a.applyKustomization(t, "first", "./first", "")
	a.waitForReady(t, "first", revision)
	// The dependency becoming Ready wakes the dependant; no interval passes.
	a.waitForReady(t, "second", revision)
	if !exists(t, a.ns, "configmap/second") {
		t.Error("second is Ready but its object is missing")
	}
}

func testDependencyCycleReported(t *testing.T, a *kustomizeApp) {
	a.push(t, map[string]string{"cycle/config.yaml": configMap("cycle", a.ns, "never")})
	a.applyKustomization(t, "left", "./cycle", "  dependsOn:\n  - name: right\n")
	a.applyKustomization(t, "right", "./cycle", "  dependsOn:\n  - name: left\n")
	a.waitForNotReady(t, "left", "DependencyNotReady", "dependency cycle", a.ns+"/left -> "+a.ns+"/right -> "+a.ns+"/left")
	if stalled := kubectl(t, "get", "kustomization", "left", "-n", a.ns, "-o",
		`jsonpath={.status.conditions[?(@.type=="Stalled")].status}`); stalled != "True" {
		t.Errorf("a dependency cycle is not Stalled (Stalled=%q)", stalled)
	}
}

func testServiceAccountWithoutRights(t *testing.T, a *kustomizeApp) {
	revision := a.push(t, map[string]string{"tenant/config.yaml": configMap("tenant-config", a.ns, "x")})
	kubectl(t, "create", "serviceaccount", "tenant", "-n", a.ns)
	a.applyKustomization(t, "tenant", "./tenant", "  serviceAccountName: tenant\n")
	a.waitForNotReady(t, "tenant", "ReconciliationFailed", "ConfigMap/"+a.ns+"/tenant-config", "forbidden",
		"system:serviceaccount:"+a.ns+":tenant")
	if exists(t, a.ns, "configmap/tenant-config") {
		t.Error("an object was applied that the ServiceAccount may not create")
	}

	// Given the rights, the same Kustomization goes through.
	kubectl(t, "create", "rolebinding", "tenant-edit", "-n", a.ns, "--clusterrole=edit", "--serviceaccount="+a.ns+":tenant")
	kubectl(t, "annotate", "kustomization", "tenant", "-n", a.ns, "--overwrite", "reconcile.fluxcd.io/requestedAt=granted")
	a.waitForReady(t, "tenant", revision)
	if by := kubectl(t, "get", "configmap", "tenant-config", "-n", a.ns, "-o",
		`jsonpath={.metadata.managedFields[0].manager}`); by != "gitops-apiserver" {
		t.Errorf("field manager %q, want gitops-apiserver", by)
	}
}

func testHealthCheckNamesUnreadyObject(t *testing.T, a *kustomizeApp) {
	group := a.ns + ".health.example.com"
	a.push(t, map[string]string{
		"health/crd.yaml": crd(group, "Widget", "widgets", false),
		"health/widget.yaml": fmt.Sprintf(`apiVersion: %s/v1
kind: Widget
metadata:
  name: broken
  namespace: %s
status:
  conditions:
  - type: Ready
    status: "False"
    reason: Broken
    message: the widget is broken
`, group, a.ns),
	})
	a.applyKustomization(t, "health", "./health", "  wait: true\n  timeout: 15s\n")
	a.waitForNotReady(t, "health", "HealthCheckFailed", "Widget/"+a.ns+"/broken")
	if healthy := kubectl(t, "get", "kustomization", "health", "-n", a.ns, "-o",
		`jsonpath={.status.conditions[?(@.type=="Healthy")].status}`); healthy != "False" {
		t.Errorf("Healthy=%q, want False", healthy)
	}
	// The objects were applied; only their health failed.
	if !exists(t, a.ns, "widgets."+group+"/broken") {
		t.Error("the widget was not applied")
	}
}

func testHealthCheckExprs(t *testing.T, a *kustomizeApp) {
	group := a.ns + ".cel.example.com"
	gizmo := func(phase string) string {
		return fmt.Sprintf("apiVersion: %s/v1\nkind: Gizmo\nmetadata:\n  name: g1\n  namespace: %s\nstatus:\n  phase: %s\n", group, a.ns, phase)
	}
	revision := a.push(t, map[string]string{"cel/crd.yaml": crd(group, "Gizmo", "gizmos", false), "cel/gizmo.yaml": gizmo("Broken")})
	// Without the expressions kstatus would call a Gizmo without conditions
	// Current; with them, phase Broken is Failed.
	a.applyKustomization(t, "cel", "./cel", fmt.Sprintf(`  wait: true
  timeout: 1m
  healthCheckExprs:
  - apiVersion: %s/v1
    kind: Gizmo
    current: status.phase == 'Ready'
    failed: status.phase == 'Broken'
`, group))
	a.waitForNotReady(t, "cel", "HealthCheckFailed", "Gizmo/"+a.ns+"/g1", "Failed")

	// The Gizmo's own controller would write its status; kubectl stands in.
	kubectl(t, "patch", "gizmos."+group, "g1", "-n", a.ns, "--type=merge", "-p", `{"status":{"phase":"Ready"}}`)
	a.waitForReady(t, "cel", revision)
}

func testDependsOnReadyExpr(t *testing.T, a *kustomizeApp) {
	revision := a.push(t, map[string]string{
		"base/config.yaml": configMap("base", a.ns, "1"),
		"app/config.yaml":  configMap("app", a.ns, "2"),
	})
	a.applyKustomization(t, "base", "./base", "")
	a.waitForReady(t, "base", revision)
	a.applyKustomization(t, "app", "./app", `  retryInterval: 5s
  dependsOn:
  - name: base
    readyExpr: dep.metadata.?labels.tier.orValue('') == 'gold' && self.metadata.name == 'app'
`)
	// base is Ready, but the expression replaces that check.
	a.waitForNotReady(t, "app", "DependencyNotReady", "dependency '"+a.ns+"/base' is not ready")
	kubectl(t, "label", "kustomization", "base", "-n", a.ns, "tier=gold")
	a.waitForReady(t, "app", revision)
}

func testHealthChecksListDecides(t *testing.T, a *kustomizeApp) {
	group := a.ns + ".checks.example.com"
	widget := func(name, ready string) string {
		return fmt.Sprintf("apiVersion: %s/v1\nkind: Widget\nmetadata:\n  name: %s\n  namespace: %s\nstatus:\n  conditions:\n  - type: Ready\n    status: %q\n    reason: Test\n    message: ready is %s\n",
			group, name, a.ns, ready, ready)
	}
	revision := a.push(t, map[string]string{
		"checks/crd.yaml":    crd(group, "Widget", "widgets", false),
		"checks/broken.yaml": widget("broken", "False"),
		"checks/fine.yaml":   widget("fine", "True"),
	})
	listing := func(name string) string {
		return fmt.Sprintf("  timeout: 15s\n  healthChecks:\n  - apiVersion: %s/v1\n    kind: Widget\n    name: %s\n", group, name)
	}
	// wait is false: only the listed object is checked.
	a.applyKustomization(t, "checks", "./checks", listing("broken"))
	message := a.waitForNotReady(t, "checks", "HealthCheckFailed", "Widget/"+a.ns+"/broken")
	if strings.Contains(message, "fine") {
		t.Errorf("the health check names an object it was not asked to check: %s", message)
	}
	a.applyKustomization(t, "checks", "./checks", listing("fine"))
	a.waitForReady(t, "checks", revision)
	if healthy := kubectl(t, "get", "kustomization", "checks", "-n", a.ns, "-o",
		`jsonpath={.status.conditions[?(@.type=="Healthy")].status}`); healthy != "True" {
		t.Errorf("Healthy=%q with a healthy listed object, want True", healthy)
	}
}

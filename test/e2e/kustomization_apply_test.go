package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Kustomization features of applying, pruning and deleting.
// TestKustomizationReconciler runs them.

func testApplyChangePruneDelete(t *testing.T, a *kustomizeApp) {
	appNs := a.ns + "-app"
	group := a.ns + ".e2e.example.com"
	first := a.push(t, map[string]string{
		"deploy/kustomization.yaml": "resources: [namespace.yaml, crd.yaml, gadget.yaml, config.yaml, removed.yaml, service.yaml]\n",
		"deploy/namespace.yaml":     fmt.Sprintf("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: %s\n", appNs),
		"deploy/crd.yaml":           crd(group, "Gadget", "gadgets", false),
		"deploy/gadget.yaml": fmt.Sprintf("apiVersion: %s/v1\nkind: Gadget\nmetadata:\n  name: one\n  namespace: %s\nspec:\n  size: 3\n",
			group, appNs),
		"deploy/config.yaml":  configMap("app-config", appNs, "v1"),
		"deploy/removed.yaml": configMap("removed-config", appNs, "gone soon"),
		"deploy/service.yaml": fmt.Sprintf(`apiVersion: v1
kind: Service
metadata:
  name: app
  namespace: %s
spec:
  selector: {app: app}
  ports: [{port: 80}]
`, appNs),
	})
	a.applyKustomization(t, "app", "./deploy", "")
	a.waitForReady(t, "app", first)

	for _, object := range []string{"configmap/app-config", "configmap/removed-config", "service/app", "gadgets." + group + "/one"} {
		if !exists(t, appNs, object) {
			t.Errorf("%s/%s was not applied", appNs, object)
		}
	}
	if value := kubectl(t, "get", "configmap", "app-config", "-n", appNs, "-o", "jsonpath={.data.value}"); value != "v1" {
		t.Errorf("app-config holds %q, want v1", value)
	}
	inventory := kubectl(t, "get", "kustomization", "app", "-n", a.ns, "-o", "jsonpath={.status.inventory.entries[*].id}")
	for _, id := range []string{"_" + appNs + "__Namespace", appNs + "_app-config__ConfigMap", "_gadgets." + group + "_apiextensions.k8s.io_CustomResourceDefinition"} {
		if !strings.Contains(inventory, id) {
			t.Errorf("inventory %q lacks %s", inventory, id)
		}
	}
	if owner := kubectl(t, "get", "configmap", "app-config", "-n", appNs, "-o",
		`jsonpath={.metadata.labels.kustomize\.toolkit\.fluxcd\.io/name}`); owner != "app" {
		t.Errorf("applied object carries owner label %q, want app", owner)
	}

	second := a.push(t, map[string]string{
		"deploy/kustomization.yaml": "resources: [namespace.yaml, crd.yaml, gadget.yaml, config.yaml, service.yaml]\n",
		"deploy/config.yaml":        configMap("app-config", appNs, "v2"),
		"deploy/removed.yaml":       "",
	})
	// The interval is 10m: the new artifact itself wakes the Kustomization.
	a.waitForReady(t, "app", second)
	if value := kubectl(t, "get", "configmap", "app-config", "-n", appNs, "-o", "jsonpath={.data.value}"); value != "v2" {
		t.Errorf("after the commit app-config holds %q, want v2", value)
	}
	if exists(t, appNs, "configmap/removed-config") {
		t.Error("removed-config is still there after it left the source")
	}
	waitForEventOf(t, a.ns, "Kustomization", "app", "Progressing", "ConfigMap/"+appNs+"/app-config configured")
	waitForEventOf(t, a.ns, "Kustomization", "app", "Progressing", "ConfigMap/"+appNs+"/removed-config deleted")

	kubectl(t, "delete", "kustomization", "app", "-n", a.ns, "--timeout=2m")
	for _, object := range []string{"configmap/app-config", "service/app"} {
		if exists(t, appNs, object) {
			t.Errorf("%s/%s is still there after its Kustomization was deleted", appNs, object)
		}
	}
	if exists(t, "", "customresourcedefinition/gadgets."+group) {
		t.Error("the CRD is still there after its Kustomization was deleted")
	}
	if phase := kubectl(t, "get", "namespace", appNs, "--ignore-not-found", "-o", "jsonpath={.status.phase}"); phase == "Active" {
		t.Error("the namespace is still Active after its Kustomization was deleted")
	}
}

func testDriftIsRestored(t *testing.T, a *kustomizeApp) {
	revision := a.push(t, map[string]string{"drift/config.yaml": configMap("drift", a.ns, "original")})
	a.applyKustomization(t, "drift", "./drift", "")
	a.waitForReady(t, "drift", revision)

	kubectl(t, "patch", "configmap", "drift", "-n", a.ns, "--type=merge", "-p", `{"data":{"value":"changed by hand"}}`)
	kubectl(t, "annotate", "kustomization", "drift", "-n", a.ns, "--overwrite",
		"reconcile.fluxcd.io/requestedAt="+time.Now().Format(time.RFC3339Nano))
	kubectlWait(t, time.Minute, "--for=jsonpath={.data.value}=original", "configmap/drift", "-n", a.ns)
	waitForEventOf(t, a.ns, "Kustomization", "drift", "Progressing", "ConfigMap/"+a.ns+"/drift configured")
}

func testBrokenBuildKeepsObjects(t *testing.T, a *kustomizeApp) {
	good := a.push(t, map[string]string{
		"broken/kustomization.yaml": "resources: [config.yaml]\n",
		"broken/config.yaml":        configMap("kept", a.ns, "${greeting}"),
	})
	a.applyKustomization(t, "broken", "./broken", "  postBuild:\n    substitute:\n      greeting: hi\n")
	a.waitForReady(t, "broken", good)
	assertKept := func(after string) {
		t.Helper()
		if value := kubectl(t, "get", "configmap", "kept", "-n", a.ns, "-o", "jsonpath={.data.value}"); value != "hi" {
			t.Errorf("after %s the object of the last good revision holds %q, want hi", after, value)
		}
		if applied := kubectl(t, "get", "kustomization", "broken", "-n", a.ns, "-o", "jsonpath={.status.lastAppliedRevision}"); applied != good {
			t.Errorf("lastAppliedRevision %q after %s, want the last good %q", applied, after, good)
		}
	}

	a.push(t, map[string]string{"broken/kustomization.yaml": "resources: [config.yaml, missing.yaml]\n"})
	a.waitForNotReady(t, "broken", "BuildFailed", "missing.yaml")
	assertKept("a failed build")

	// A variable that cannot be substituted fails the build too, naming
	// the file and the object.
	a.push(t, map[string]string{
		"broken/kustomization.yaml": "resources: [config.yaml, bad.yaml]\n",
		"broken/bad.yaml":           configMap("bad", a.ns, "${greeting"),
	})
	a.waitForNotReady(t, "broken", "BuildFailed", "broken/bad.yaml", "ConfigMap/"+a.ns+"/bad", "variable substitution failed")
	assertKept("a failed substitution")
	if exists(t, a.ns, "configmap/bad") {
		t.Error("the object whose substitution failed was applied")
	}
}

func testKubeConfigSecret(t *testing.T, a *kustomizeApp) {
	revision := a.push(t, map[string]string{"remote/config.yaml": configMap("remote", a.ns, "via kubeconfig")})
	a.applyKustomization(t, "remote", "./remote", "  kubeConfig:\n    secretRef:\n      name: cluster\n")
	a.waitForNotReady(t, "remote", "ReconciliationFailed", "Secret 'cluster' not found")

	kubectl(t, "create", "secret", "generic", "cluster", "-n", a.ns, "--from-file=value="+env.cp.KubeconfigPath)
	kubectl(t, "annotate", "kustomization", "remote", "-n", a.ns, "--overwrite",
		"reconcile.fluxcd.io/requestedAt="+time.Now().Format(time.RFC3339Nano))
	a.waitForReady(t, "remote", revision)
	if !exists(t, a.ns, "configmap/remote") {
		t.Error("nothing was applied through the kubeconfig")
	}

	// A kubeconfig that would run a program on the server is refused.
	kubectl(t, "create", "secret", "generic", "exec-cluster", "-n", a.ns, "--from-literal=value="+`apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/true, interactiveMode: Never}}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
current-context: c
`)
	a.applyKustomization(t, "exec", "./remote", "  kubeConfig:\n    secretRef:\n      name: exec-cluster\n")
	a.waitForNotReady(t, "exec", "ReconciliationFailed", "exec and auth plugins")
}

// crd returns a namespaced CustomResourceDefinition that accepts any
// fields, with or without a status subresource.
func crd(group, kind, plural string, statusSubresource bool) string {
	subresources := ""
	if statusSubresource {
		subresources = "    subresources: {status: {}}\n"
	}
	return fmt.Sprintf(`apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: %[3]s.%[1]s
spec:
  group: %[1]s
  scope: Namespaced
  names: {kind: %[2]s, plural: %[3]s, singular: %[4]s}
  versions:
  - name: v1
    served: true
    storage: true
%[5]s    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
`, group, kind, plural, strings.ToLower(kind), subresources)
}

func testPerObjectAnnotations(t *testing.T, a *kustomizeApp) {
	annotated := func(name, annotation string) string {
		return fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n  namespace: %s\n  annotations:\n    %s\ndata:\n  value: from git\n",
			name, a.ns, annotation)
	}
	// Ignore leaves an object alone, whether it exists or not.
	kubectl(t, "create", "configmap", "ignored", "-n", a.ns, "--from-literal=value=by hand")
	files := map[string]string{
		"annotated/kustomization.yaml": "resources: [keep.yaml, once.yaml, ignored.yaml, never.yaml, merged.yaml, plain.yaml, handsoff.yaml]\n",
		"annotated/keep.yaml":          annotated("keep", "kustomize.toolkit.fluxcd.io/prune: disabled"),
		"annotated/once.yaml":          annotated("once", "kustomize.toolkit.fluxcd.io/ssa: IfNotPresent"),
		"annotated/ignored.yaml":       annotated("ignored", "kustomize.toolkit.fluxcd.io/ssa: Ignore"),
		"annotated/never.yaml":         annotated("never", "kustomize.toolkit.fluxcd.io/ssa: Ignore"),
		"annotated/merged.yaml":        annotated("merged", "kustomize.toolkit.fluxcd.io/ssa: Merge"),
		"annotated/plain.yaml":         configMap("plain", a.ns, "from git"),
		"annotated/handsoff.yaml":      configMap("handsoff", a.ns, "from git"),
	}
	first := a.push(t, files)
	a.applyKustomization(t, "annotated", "./annotated", "")
	a.waitForReady(t, "annotated", first)

	kubectl(t, "patch", "configmap", "once", "-n", a.ns, "--type=merge", "-p", `{"data":{"value":"changed by hand"}}`)
	// kubectl's server-side apply adds a field, as a person would; Flux
	// takes kubectl's fields over and drops them, unless ssa: Merge.
	for _, name := range []string{"merged", "plain"} {
		kubectlWithInput(t, fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n  namespace: %s\ndata:\n  extra: by kubectl\n", name, a.ns),
			"apply", "--server-side", "-f", "-")
	}
	// Ignore set on the object in the cluster keeps it from being pruned.
	kubectl(t, "annotate", "configmap", "handsoff", "-n", a.ns, "kustomize.toolkit.fluxcd.io/ssa=Ignore")
	second := a.push(t, map[string]string{
		"annotated/kustomization.yaml": "resources: [once.yaml, ignored.yaml, never.yaml, merged.yaml, plain.yaml]\n",
		"annotated/keep.yaml":          "",
		"annotated/handsoff.yaml":      "",
	})
	a.waitForReady(t, "annotated", second)
	if !exists(t, a.ns, "configmap/keep") {
		t.Error("an object annotated prune: disabled was pruned")
	}
	if !exists(t, a.ns, "configmap/handsoff") {
		t.Error("an object annotated ssa: Ignore in the cluster was pruned")
	}
	if value := kubectl(t, "get", "configmap", "once", "-n", a.ns, "-o", "jsonpath={.data.value}"); value != "changed by hand" {
		t.Errorf("an object annotated ssa: IfNotPresent was applied again: value %q", value)
	}
	ownerLabel := `{.metadata.labels.kustomize\.toolkit\.fluxcd\.io/name}`
	if got := kubectl(t, "get", "configmap", "ignored", "-n", a.ns, "-o", "jsonpath={.data.value}|"+ownerLabel); got != "by hand|" {
		t.Errorf("an existing object annotated ssa: Ignore was changed: value|owner label = %q, want %q", got, "by hand|")
	}
	if exists(t, a.ns, "configmap/never") {
		t.Error("an object annotated ssa: Ignore was created")
	}
	if got := kubectl(t, "get", "configmap", "merged", "-n", a.ns, "-o", "jsonpath={.data.value}|{.data.extra}"); got != "from git|by kubectl" {
		t.Errorf("ssa: Merge object holds value|extra = %q, want kubectl's field kept: %q", got, "from git|by kubectl")
	}
	if got := kubectl(t, "get", "configmap", "plain", "-n", a.ns, "-o", "jsonpath={.data.value}|{.data.extra}"); got != "from git|" {
		t.Errorf("an object without ssa: Merge holds value|extra = %q, want kubectl's field dropped: %q", got, "from git|")
	}
}

func testForceRecreatesImmutable(t *testing.T, a *kustomizeApp) {
	immutable := func(value string) string {
		return configMap("frozen", a.ns, value) + "immutable: true\n"
	}
	first := a.push(t, map[string]string{"force/config.yaml": immutable("v1")})
	a.applyKustomization(t, "force", "./force", "")
	a.waitForReady(t, "force", first)

	second := a.push(t, map[string]string{"force/config.yaml": immutable("v2")})
	a.waitForNotReady(t, "force", "ReconciliationFailed", "ConfigMap/"+a.ns+"/frozen", "immutable")

	a.applyKustomization(t, "force", "./force", "  force: true\n")
	a.waitForReady(t, "force", second)
	if value := kubectl(t, "get", "configmap", "frozen", "-n", a.ns, "-o", "jsonpath={.data.value}"); value != "v2" {
		t.Errorf("with force the immutable ConfigMap holds %q, want v2 (recreated)", value)
	}
}

func testKustomizationSuspendedUntilResumed(t *testing.T, a *kustomizeApp) {
	first := a.push(t, map[string]string{"suspend/config.yaml": configMap("paused", a.ns, "v1")})
	a.applyKustomization(t, "suspend", "./suspend", "")
	a.waitForReady(t, "suspend", first)
	waitForMetric(t, fmt.Sprintf(`gotk_reconcile_duration_seconds_count{kind="Kustomization",name="suspend",namespace="%s"}`, a.ns))

	kubectl(t, "patch", "kustomization", "suspend", "-n", a.ns, "--type=merge", "-p", `{"spec":{"suspend":true}}`)
	second := a.push(t, map[string]string{"suspend/config.yaml": configMap("paused", a.ns, "v2")})
	kubectl(t, "annotate", "kustomization", "suspend", "-n", a.ns, "--overwrite", "reconcile.fluxcd.io/requestedAt=while-suspended")
	// Nothing may happen; give the reconciler the time it needs to apply
	// (the same wait as above took far less) and check nothing did.
	time.Sleep(5 * time.Second)
	if value := kubectl(t, "get", "configmap", "paused", "-n", a.ns, "-o", "jsonpath={.data.value}"); value != "v1" {
		t.Fatalf("a suspended Kustomization applied %q", value)
	}
	kubectl(t, "patch", "kustomization", "suspend", "-n", a.ns, "--type=merge", "-p", `{"spec":{"suspend":false}}`)
	a.waitForReady(t, "suspend", second)
}

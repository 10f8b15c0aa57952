package e2e

import (
	"strings"
	"testing"
	"time"
)

// A Kustomization may use a source, or depend on a Kustomization, in another
// namespace, unless the server runs with --no-cross-namespace-refs.
func TestKustomizationCrossNamespaceSourceRef(t *testing.T) {
	useReconcilers(t)
	password := "pw-" + randomHex(t)
	app := newKustomizeApp(t, startGitServer(t, "e2e", password, ""), password)
	tenant := newNamespace(t)
	revision := app.push(t, map[string]string{
		"shared/config.yaml":    configMap("shared", tenant, "from another namespace"),
		"dependant/config.yaml": configMap("dependant", app.ns, "after the tenant's"),
	})
	kustomization := `apiVersion: gitops.io/v1alpha1
kind: Kustomization
metadata:
  name: NAME
spec:
  interval: 10m
  path: ./shared
  prune: true
  sourceRef:
    kind: GitRepository
    name: app
    namespace: ` + app.ns + "\n"

	kubectlWithInput(t, strings.ReplaceAll(kustomization, "NAME", "allowed"), "apply", "-n", tenant, "-f", "-")
	kubectlWait(t, 2*time.Minute, "--for=jsonpath={.status.lastAppliedRevision}="+revision, "kustomization/allowed", "-n", tenant)
	if !exists(t, tenant, "configmap/shared") {
		t.Fatal("the cross-namespace Kustomization applied nothing")
	}
	// A dependency in another namespace that is Ready lets its dependant go.
	dependsOnTenant := "  dependsOn:\n  - name: allowed\n    namespace: " + tenant + "\n"
	app.applyKustomization(t, "dependant", "./dependant", dependsOnTenant)
	app.waitForReady(t, "dependant", revision)
	kubectl(t, "delete", "kustomization", "dependant", "-n", app.ns, "--timeout=2m") // and its ConfigMap

	withServerFlags(t, "--no-cross-namespace-refs")
	kubectlWithInput(t, strings.ReplaceAll(kustomization, "NAME", "refused"), "apply", "-n", tenant, "-f", "-")
	refused := &kustomizeApp{ns: tenant}
	refused.waitForNotReady(t, "refused", "ArtifactFailed", "cross-namespace references are not allowed")

	// The same dependency is refused now, before its readiness is read.
	app.applyKustomization(t, "refused-dependant", "./dependant", dependsOnTenant)
	app.waitForNotReady(t, "refused-dependant", "DependencyNotReady", "spec.dependsOn[0]",
		"Kustomization/"+tenant+"/allowed", "cross-namespace references are not allowed")
	if stalled := kubectl(t, "get", "kustomization", "refused-dependant", "-n", app.ns, "-o",
		`jsonpath={.status.conditions[?(@.type=="Stalled")].status}`); stalled != "True" {
		t.Errorf("a refused dependency is not Stalled (Stalled=%q)", stalled)
	}
	if exists(t, app.ns, "configmap/dependant") {
		t.Error("a Kustomization whose dependency was refused applied its objects")
	}
}

package e2e

import (
	"strings"
	"testing"
	"time"
)

// A Kustomization may use a source in another namespace, unless the server
// runs with --no-cross-namespace-refs.
func TestKustomizationCrossNamespaceSourceRef(t *testing.T) {
	useReconcilers(t)
	password := "pw-" + randomHex(t)
	app := newKustomizeApp(t, startGitServer(t, "e2e", password, ""), password)
	tenant := newNamespace(t)
	revision := app.push(t, map[string]string{"shared/config.yaml": configMap("shared", tenant, "from another namespace")})
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

	withServerFlags(t, "--no-cross-namespace-refs")
	kubectlWithInput(t, strings.ReplaceAll(kustomization, "NAME", "refused"), "apply", "-n", tenant, "-f", "-")
	refused := &kustomizeApp{ns: tenant}
	refused.waitForNotReady(t, "refused", "ArtifactFailed", "cross-namespace references are not allowed")
}

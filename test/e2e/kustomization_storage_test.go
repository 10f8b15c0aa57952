package e2e

import (
	"strings"
	"testing"
	"time"
)

// The storage model end to end: a Kustomization pushed into the storage
// repository with git, no kubectl, appears in the API and is reconciled.
func TestPushedKustomizationIsReconciled(t *testing.T) {
	useReconcilers(t)
	password := "pw-" + randomHex(t)
	app := newKustomizeApp(t, startGitServer(t, "e2e", password, ""), password)
	revision := app.push(t, map[string]string{"pushed/config.yaml": configMap("pushed", app.ns, "from a push")})

	clone := cloneStorage(t)
	clone.commitAndPush("add a Kustomization by git push", map[string]string{
		manifestPath(app.ns, "kustomizations", "pushed"): `apiVersion: gitops.io/v1alpha1
kind: Kustomization
metadata:
  name: pushed
  namespace: ` + app.ns + `
spec:
  interval: 10m
  path: ./pushed
  prune: true
  sourceRef:
    kind: GitRepository
    name: app
`,
	})
	// A push is taken in within a second, not at once.
	if err := eventually(30*time.Second, func() error {
		_, err := tryKubectl(t, "", "get", "kustomization", "pushed", "-n", app.ns)
		return err
	}); err != nil {
		t.Fatalf("the pushed Kustomization is not served: %v", err)
	}
	app.waitForReady(t, "pushed", revision)
	if value := kubectl(t, "get", "configmap", "pushed", "-n", app.ns, "-o", "jsonpath={.data.value}"); value != "from a push" {
		t.Errorf("the pushed Kustomization applied %q, want %q", value, "from a push")
	}
	// Any later commits of the file are the server's.
	authors := strings.Split(strings.TrimSpace(storageGit(t, "log", "--reverse", "--format=%an", storageBranch, "--",
		manifestPath(app.ns, "kustomizations", "pushed"))), "\n")
	if len(authors) == 0 || authors[0] != "e2e pusher" {
		t.Errorf("the manifest's commits are by %v; want the pusher's first", authors)
	}
}

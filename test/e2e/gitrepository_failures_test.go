package e2e

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gitops.io/apiserver/test/loopback"
)

// GitRepository failures: each makes Ready=False with the cause, and
// some heal once fixed. TestGitRepositoryReconciler runs them.

func testWrongPasswordUntilSecretIsFixed(t *testing.T, server *gitServer, password, token string) {
	ns := newNamespace(t)
	repo := server.newRepo(t, "auth", map[string]string{"app.yaml": "kind: ConfigMap\n"})
	wrong := "wrong-" + randomHex(t)
	createBasicAuthSecret(t, ns, "git-auth", "e2e", wrong)
	applyGitRepository(t, ns, "auth", repo.url, "main", "git-auth", "1m")

	kubectlWait(t, time.Minute, "--for=condition=Ready=False", "gitrepository/auth", "-n", ns)
	reason, message := readyCondition(t, ns, "auth")
	if reason != "AuthenticationFailed" || !strings.Contains(message, "authentication required") {
		t.Errorf("Ready reason %q message %q; want AuthenticationFailed naming authentication", reason, message)
	}
	if strings.Contains(message, wrong) {
		t.Errorf("the Ready message shows the password: %s", message)
	}
	waitForEvent(t, ns, "auth", "AuthenticationFailed", "authentication required")
	if events := kubectl(t, "get", "events", "-n", ns, "-o", "yaml"); strings.Contains(events, wrong) {
		t.Errorf("an Event shows the password")
	}

	createBasicAuthSecret(t, ns, "git-auth", "e2e", password)
	// No request: the retries (backoff, at most the 1m interval) find the fix.
	kubectlWait(t, 2*time.Minute, "--for=condition=Ready", "gitrepository/auth", "-n", ns)
	assertLogHasNo(t, wrong)
}

func testUnreachableHost(t *testing.T, _ *gitServer, password, token string) {
	ns := newNamespace(t)
	addr := loopback.FreeAddr(t) // nothing listens there yet
	createBasicAuthSecret(t, ns, "git-auth", "e2e", password)
	applyGitRepository(t, ns, "unreachable", "http://"+addr+"/app.git", "main", "git-auth", "1m")
	kubectlWait(t, time.Minute, "--for=condition=Ready=False", "gitrepository/unreachable", "-n", ns)
	reason, message := readyCondition(t, ns, "unreachable")
	if reason != "GitOperationFailed" || !strings.Contains(message, "connection refused") {
		t.Errorf("Ready reason %q message %q; want GitOperationFailed saying the connection was refused", reason, message)
	}
	if got := kubectl(t, "get", "gitrepository", "unreachable", "-n", ns, "-o", `jsonpath={.status.conditions[?(@.type=="FetchFailed")].status}`); got != "True" {
		t.Errorf("FetchFailed is %q, want True", got)
	}

	server := startGitServerAt(t, addr, "e2e", password, token)
	sha := strings.TrimSpace(server.newRepo(t, "app", map[string]string{"app.yaml": "kind: ConfigMap\n"}).git("rev-parse", "HEAD"))
	// No request: the retries (backoff, at most the 1m interval) reach it.
	kubectlWait(t, 2*time.Minute, "--for=jsonpath={.status.artifact.revision}=main@sha1:"+sha, "gitrepository/unreachable", "-n", ns)
	kubectlWait(t, time.Minute, "--for=condition=Ready", "gitrepository/unreachable", "-n", ns)
}

func testFileURLsRefused(t *testing.T, server *gitServer, password, token string) {
	ns := newNamespace(t)
	// The storage repository holds every namespace's objects.
	kubectlWithInput(t, fmt.Sprintf(`apiVersion: gitops.io/v1alpha1
kind: GitRepository
metadata:
  name: storage
spec:
  url: file://%s
  interval: 10m
  ref:
    branch: %s
`, filepath.ToSlash(env.storage), storageBranch), "apply", "-n", ns, "-f", "-")
	kubectlWait(t, time.Minute, "--for=condition=Stalled", "gitrepository/storage", "-n", ns)
	reason, message := readyCondition(t, ns, "storage")
	if reason != "URLInvalid" || !strings.Contains(message, "--allow-file-urls") {
		t.Errorf("Ready reason %q message %q; want URLInvalid naming --allow-file-urls", reason, message)
	}
	if url := kubectl(t, "get", "gitrepository", "storage", "-n", ns, "-o", "jsonpath={.status.artifact.url}"); url != "" {
		t.Errorf("a file:// GitRepository of the storage repository got an artifact: %s", url)
	}
}

func testMissingBranch(t *testing.T, server *gitServer, password, token string) {
	ns := newNamespace(t)
	repo := server.newRepo(t, "branches", map[string]string{"app.yaml": "kind: ConfigMap\n"})
	createBasicAuthSecret(t, ns, "git-auth", "e2e", password)
	applyGitRepository(t, ns, "branches", repo.url, "does-not-exist", "git-auth", "1m")

	kubectlWait(t, time.Minute, "--for=condition=Ready=False", "gitrepository/branches", "-n", ns)
	reason, message := readyCondition(t, ns, "branches")
	if reason != "GitOperationFailed" || !strings.Contains(message, "branch 'does-not-exist' not found") {
		t.Errorf("Ready reason %q message %q; want GitOperationFailed naming the branch", reason, message)
	}

	repo.git("push", "--quiet", "origin", "main:does-not-exist")
	sha := strings.TrimSpace(repo.git("rev-parse", "HEAD"))
	// No request: the retries (backoff, at most the 1m interval) find it.
	kubectlWait(t, 2*time.Minute, "--for=jsonpath={.status.artifact.revision}=does-not-exist@sha1:"+sha, "gitrepository/branches", "-n", ns)
	kubectlWait(t, time.Minute, "--for=condition=Ready", "gitrepository/branches", "-n", ns)
}

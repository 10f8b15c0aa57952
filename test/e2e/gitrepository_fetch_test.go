package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// GitRepository features of fetching: artifacts, requests, the interval,
// suspend and deletion. TestGitRepositoryReconciler runs them.

func testReadyWithRevisionDigestAndNewCommitOnRequest(t *testing.T, server *gitServer, password, token string) {
	ns := newNamespace(t)
	repo := server.newRepo(t, "app", map[string]string{"deploy/app.yaml": "kind: ConfigMap\n", "logo.png": "not a manifest"})
	first := strings.TrimSpace(repo.git("rev-parse", "HEAD"))
	createBasicAuthSecret(t, ns, "git-auth", "e2e", password)
	applyGitRepository(t, ns, "app", repo.url, "main", "git-auth", "10m")

	kubectlWait(t, time.Minute, "--for=condition=Ready", "gitrepository/app", "-n", ns)
	artifact := artifactStatus(t, ns, "app")
	if artifact.revision != "main@sha1:"+first {
		t.Errorf("revision %q, want main@sha1:%s", artifact.revision, first)
	}
	data := artifactBytes(t, artifact, "")
	if got := digestOf(data); got != artifact.digest {
		t.Errorf("the served artifact has digest %s, status.artifact.digest is %s", got, artifact.digest)
	}
	if files := tarFiles(t, data); strings.Join(files, ",") != "deploy/,deploy/app.yaml" {
		t.Errorf("artifact holds %v; want deploy/app.yaml only (no .git, no images)", files)
	}
	waitForEvent(t, ns, "app", "NewArtifact", "stored artifact for revision '"+artifact.revision+"'")
	waitForMetric(t, fmt.Sprintf(`gotk_reconcile_duration_seconds_count{kind="GitRepository",name="app",namespace="%s"}`, ns))

	second := repo.commitAndPush(map[string]string{"deploy/app.yaml": "kind: ConfigMap\n# second\n"})
	request := time.Now().Format(time.RFC3339Nano)
	kubectl(t, "annotate", "gitrepository", "app", "-n", ns, "--overwrite", "reconcile.fluxcd.io/requestedAt="+request)
	// The interval is 10m: only the request makes this happen in time.
	kubectlWait(t, 30*time.Second, "--for=jsonpath={.status.artifact.revision}=main@sha1:"+second, "gitrepository/app", "-n", ns)
	if handled := kubectl(t, "get", "gitrepository", "app", "-n", ns, "-o", "jsonpath={.status.lastHandledReconcileAt}"); handled != request {
		t.Errorf("lastHandledReconcileAt %q, want the request's %q", handled, request)
	}
	newer := artifactStatus(t, ns, "app")
	if newer.digest == artifact.digest || digestOf(artifactBytes(t, newer, "")) != newer.digest {
		t.Errorf("after a new commit: digest %s (was %s), not matching the served bytes", newer.digest, artifact.digest)
	}

	t.Run("artifact is served to a viewer and refused to a user without a role", func(t *testing.T) {
		bindRole(t, ns, "e2e-artifact-viewer", "gitops-view", "get")
		if got := digestOf(artifactBytes(t, newer, "e2e-artifact-viewer")); got != newer.digest {
			t.Errorf("the viewer got an artifact with digest %s, want %s", got, newer.digest)
		}
		out, err := kubectlRaw(t, newer.url, "e2e-nobody")
		if err == nil || !strings.Contains(err.Error(), "Forbidden") {
			t.Errorf("a user without a role fetched the artifact (%d bytes): %v", len(out), err)
		}
	})
}

func testNewCommitOnInterval(t *testing.T, server *gitServer, password, token string) {
	ns := newNamespace(t)
	repo := server.newRepo(t, "interval", map[string]string{"app.yaml": "kind: ConfigMap\n"})
	createBasicAuthSecret(t, ns, "git-auth", "e2e", password)
	applyGitRepository(t, ns, "interval", repo.url, "main", "git-auth", "3s")
	kubectlWait(t, time.Minute, "--for=condition=Ready", "gitrepository/interval", "-n", ns)
	second := repo.commitAndPush(map[string]string{"app.yaml": "kind: ConfigMap\n# second\n"})
	kubectlWait(t, 30*time.Second, "--for=jsonpath={.status.artifact.revision}=main@sha1:"+second, "gitrepository/interval", "-n", ns)
}

func testSuspendedUntilResumed(t *testing.T, server *gitServer, password, token string) {
	ns := newNamespace(t)
	repo := server.newRepo(t, "suspend", map[string]string{"app.yaml": "kind: ConfigMap\n"})
	createBasicAuthSecret(t, ns, "git-auth", "e2e", password)
	applyGitRepository(t, ns, "suspend", repo.url, "main", "git-auth", "1s")
	kubectlWait(t, time.Minute, "--for=condition=Ready", "gitrepository/suspend", "-n", ns)
	kubectl(t, "patch", "gitrepository", "suspend", "-n", ns, "--type=merge", "-p", `{"spec":{"suspend":true}}`)
	// Let a reconcile of the patch pass before the commit, then give
	// the 1s interval several turns to (wrongly) pick the commit up.
	time.Sleep(2 * time.Second)
	second := repo.commitAndPush(map[string]string{"app.yaml": "kind: ConfigMap\n# second\n"})
	time.Sleep(4 * time.Second)
	if rev := artifactStatus(t, ns, "suspend").revision; rev == "main@sha1:"+second {
		t.Fatalf("a suspended GitRepository took in a new commit: %s", rev)
	}
	kubectl(t, "patch", "gitrepository", "suspend", "-n", ns, "--type=merge", "-p", `{"spec":{"suspend":false}}`)
	kubectlWait(t, 30*time.Second, "--for=jsonpath={.status.artifact.revision}=main@sha1:"+second, "gitrepository/suspend", "-n", ns)
}

func testDeleteRemovesArtifacts(t *testing.T, server *gitServer, password, token string) {
	ns := newNamespace(t)
	repo := server.newRepo(t, "deleted", map[string]string{"app.yaml": "kind: ConfigMap\n"})
	createBasicAuthSecret(t, ns, "git-auth", "e2e", password)
	applyGitRepository(t, ns, "deleted", repo.url, "main", "git-auth", "10m")
	kubectlWait(t, time.Minute, "--for=condition=Ready", "gitrepository/deleted", "-n", ns)
	path := kubectl(t, "get", "gitrepository", "deleted", "-n", ns, "-o", "jsonpath={.status.artifact.path}")
	// The server keeps artifacts next to its storage repository.
	file := filepath.Join(filepath.Dir(env.storage), "artifacts", filepath.FromSlash(path))
	if _, err := os.Stat(file); err != nil {
		t.Fatalf("the artifact of a Ready GitRepository: %v", err)
	}
	kubectl(t, "delete", "gitrepository", "deleted", "-n", ns)
	err := eventually(10*time.Second, func() error {
		if _, err := os.Stat(filepath.Dir(file)); !os.IsNotExist(err) {
			return fmt.Errorf("%s still exists (%v)", filepath.Dir(file), err)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

package e2e

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh/knownhosts"

	"gitops.io/apiserver/test/controlplane"
)

// The GitRepository reconciler against a real Git server (git http-backend
// with basic auth) on loopback.
func TestGitRepositoryReconciler(t *testing.T) {
	useReconcilers(t)
	password, token := "pw-"+randomHex(t), "token-"+randomHex(t)
	server := startGitServer(t, "e2e", password, token)

	t.Run("becomes Ready with revision and digest, and follows a new commit on request", func(t *testing.T) {
		t.Parallel()
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
		token := time.Now().Format(time.RFC3339Nano)
		kubectl(t, "annotate", "gitrepository", "app", "-n", ns, "--overwrite", "reconcile.fluxcd.io/requestedAt="+token)
		// The interval is 10m: only the request makes this happen in time.
		kubectlWait(t, 30*time.Second, "--for=jsonpath={.status.artifact.revision}=main@sha1:"+second, "gitrepository/app", "-n", ns)
		if handled := kubectl(t, "get", "gitrepository", "app", "-n", ns, "-o", "jsonpath={.status.lastHandledReconcileAt}"); handled != token {
			t.Errorf("lastHandledReconcileAt %q, want the request's %q", handled, token)
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
	})

	t.Run("wrong password is AuthenticationFailed until the Secret is fixed", func(t *testing.T) {
		t.Parallel()
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
	})

	t.Run("unreachable host is not Ready and says so", func(t *testing.T) {
		t.Parallel()
		ns := newNamespace(t)
		port, err := controlplane.FreePort() // nothing listens there
		if err != nil {
			t.Fatal(err)
		}
		createBasicAuthSecret(t, ns, "git-auth", "e2e", password)
		applyGitRepository(t, ns, "unreachable", fmt.Sprintf("http://127.0.0.1:%d/app.git", port), "main", "git-auth", "10m")
		kubectlWait(t, time.Minute, "--for=condition=Ready=False", "gitrepository/unreachable", "-n", ns)
		reason, message := readyCondition(t, ns, "unreachable")
		if reason != "GitOperationFailed" || !strings.Contains(message, "connection refused") {
			t.Errorf("Ready reason %q message %q; want GitOperationFailed saying the connection was refused", reason, message)
		}
		if got := kubectl(t, "get", "gitrepository", "unreachable", "-n", ns, "-o", `jsonpath={.status.conditions[?(@.type=="FetchFailed")].status}`); got != "True" {
			t.Errorf("FetchFailed is %q, want True", got)
		}
	})

	t.Run("file URLs are refused without --allow-file-urls", func(t *testing.T) {
		t.Parallel()
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
	})

	t.Run("missing branch is not Ready and names the branch", func(t *testing.T) {
		t.Parallel()
		ns := newNamespace(t)
		repo := server.newRepo(t, "branches", map[string]string{"app.yaml": "kind: ConfigMap\n"})
		createBasicAuthSecret(t, ns, "git-auth", "e2e", password)
		applyGitRepository(t, ns, "branches", repo.url, "does-not-exist", "git-auth", "10m")

		kubectlWait(t, time.Minute, "--for=condition=Ready=False", "gitrepository/branches", "-n", ns)
		reason, message := readyCondition(t, ns, "branches")
		if reason != "GitOperationFailed" || !strings.Contains(message, "branch 'does-not-exist' not found") {
			t.Errorf("Ready reason %q message %q; want GitOperationFailed naming the branch", reason, message)
		}
	})

	t.Run("bearer token from the Secret", func(t *testing.T) {
		t.Parallel()
		ns := newNamespace(t)
		repo := server.newRepo(t, "token", map[string]string{"app.yaml": "kind: ConfigMap\n"})
		kubectl(t, "create", "secret", "generic", "git-token", "-n", ns, "--from-literal=bearerToken="+token)
		applyGitRepository(t, ns, "token", repo.url, "main", "git-token", "10m")
		kubectlWait(t, time.Minute, "--for=condition=Ready", "gitrepository/token", "-n", ns)
	})

	t.Run("https needs the CA from the Secret", func(t *testing.T) {
		t.Parallel()
		ns := newNamespace(t)
		tlsServer := startTLSGitServer(t, "e2e", password)
		repo := tlsServer.newRepo(t, "tls", map[string]string{"app.yaml": "kind: ConfigMap\n"})
		createBasicAuthSecret(t, ns, "git-auth", "e2e", password)
		applyGitRepository(t, ns, "tls", repo.url, "main", "git-auth", "1m")
		kubectlWait(t, time.Minute, "--for=condition=Ready=False", "gitrepository/tls", "-n", ns)
		if _, message := readyCondition(t, ns, "tls"); !strings.Contains(message, "certificate") {
			t.Errorf("Ready message %q does not name the certificate", message)
		}

		manifest := kubectl(t, "create", "secret", "generic", "git-auth", "-n", ns, "--dry-run=client", "-o", "yaml",
			"--from-literal=username=e2e", "--from-literal=password="+password, "--from-literal=ca.crt="+tlsServer.caPEM)
		kubectlWithInput(t, manifest, "apply", "-f", "-")
		kubectlWait(t, 2*time.Minute, "--for=condition=Ready", "gitrepository/tls", "-n", ns)
	})

	t.Run("ssh with identity and known_hosts from the Secret", func(t *testing.T) {
		t.Parallel()
		ns := newNamespace(t)
		sshServer := startSSHGitServer(t, server)
		repo := server.newRepo(t, "ssh", map[string]string{"app.yaml": "kind: ConfigMap\n"})
		sha := strings.TrimSpace(repo.git("rev-parse", "HEAD"))
		kubectl(t, "create", "secret", "generic", "git-ssh", "-n", ns,
			"--from-literal=identity="+sshServer.identityPEM, "--from-literal=known_hosts="+sshServer.knownHosts)
		applyGitRepository(t, ns, "ssh", sshServer.url+"/ssh.git", "main", "git-ssh", "10m")
		kubectlWait(t, time.Minute, "--for=condition=Ready", "gitrepository/ssh", "-n", ns)
		if rev := artifactStatus(t, ns, "ssh").revision; rev != "main@sha1:"+sha {
			t.Errorf("revision %q, want main@sha1:%s", rev, sha)
		}
		assertLogHasNo(t, strings.Split(strings.TrimSpace(sshServer.identityPEM), "\n")[1])

		// A host whose key differs from known_hosts is not talked to.
		impostor, _ := newSSHKey(t)
		kubectl(t, "create", "secret", "generic", "git-ssh-other-host", "-n", ns,
			"--from-literal=identity="+sshServer.identityPEM,
			"--from-literal=known_hosts="+knownhosts.Line([]string{knownhosts.Normalize(sshServer.addr)}, impostor.PublicKey()))
		applyGitRepository(t, ns, "ssh-other-host", sshServer.url+"/ssh.git", "main", "git-ssh-other-host", "10m")
		kubectlWait(t, time.Minute, "--for=condition=Ready=False", "gitrepository/ssh-other-host", "-n", ns)
		if _, message := readyCondition(t, ns, "ssh-other-host"); !strings.Contains(message, "key mismatch") {
			t.Errorf("Ready message %q does not name the host key mismatch", message)
		}
	})

	t.Run("commit signatures are verified with the keys of a Secret", func(t *testing.T) {
		t.Parallel()
		ns := newNamespace(t)
		repo := server.newRepo(t, "signed", map[string]string{"app.yaml": "kind: ConfigMap\n"})
		key, public := newSigningKey(t)
		signed := repo.signedCommitAndPush(key, map[string]string{"app.yaml": "kind: ConfigMap\n# signed\n"})
		createBasicAuthSecret(t, ns, "git-auth", "e2e", password)
		kubectl(t, "create", "secret", "generic", "keys", "-n", ns, "--from-literal=trusted.asc="+public)
		kubectlWithInput(t, fmt.Sprintf(`apiVersion: gitops.io/v1alpha1
kind: GitRepository
metadata:
  name: signed
spec:
  url: %s
  interval: 10m
  ref:
    branch: main
  secretRef:
    name: git-auth
  verify:
    mode: HEAD
    secretRef:
      name: keys
`, repo.url), "apply", "-n", ns, "-f", "-")
		kubectlWait(t, time.Minute, "--for=condition=Ready", "gitrepository/signed", "-n", ns)
		kubectlWait(t, 10*time.Second, "--for=condition=SourceVerified", "gitrepository/signed", "-n", ns)
		if rev := artifactStatus(t, ns, "signed").revision; rev != "main@sha1:"+signed {
			t.Errorf("revision %q, want the signed main@sha1:%s", rev, signed)
		}

		unsigned := repo.commitAndPush(map[string]string{"app.yaml": "kind: ConfigMap\n# unsigned\n"})
		kubectl(t, "annotate", "gitrepository", "signed", "-n", ns, "--overwrite", "gitops.io/requestedAt="+unsigned)
		kubectlWait(t, time.Minute, "--for=condition=SourceVerified=False", "gitrepository/signed", "-n", ns)
		if reason, _ := readyCondition(t, ns, "signed"); reason != "InvalidCommitSignature" {
			t.Errorf("Ready reason %q after an unsigned commit, want InvalidCommitSignature", reason)
		}
		if rev := artifactStatus(t, ns, "signed").revision; rev != "main@sha1:"+signed {
			t.Errorf("after an unsigned commit the artifact is %q; want the last verified main@sha1:%s", rev, signed)
		}
	})

	t.Run("include copies another GitRepository's artifact and follows it", func(t *testing.T) {
		t.Parallel()
		ns := newNamespace(t)
		lib := server.newRepo(t, "lib", map[string]string{"base/lib.yaml": "kind: ConfigMap\n# lib v1\n"})
		app := server.newRepo(t, "includer", map[string]string{"app.yaml": "kind: ConfigMap\n"})
		createBasicAuthSecret(t, ns, "git-auth", "e2e", password)
		applyGitRepository(t, ns, "lib", lib.url, "main", "git-auth", "10m")
		kubectlWithInput(t, fmt.Sprintf(`apiVersion: gitops.io/v1alpha1
kind: GitRepository
metadata:
  name: app
spec:
  url: %s
  interval: 10m
  ref:
    branch: main
  secretRef:
    name: git-auth
  include:
    - repository:
        name: lib
      fromPath: base
      toPath: vendor/lib
`, app.url), "apply", "-n", ns, "-f", "-")
		kubectlWait(t, time.Minute, "--for=condition=Ready", "gitrepository/app", "-n", ns)
		vendored := func() string {
			t.Helper()
			data := artifactBytes(t, artifactStatus(t, ns, "app"), "")
			return tarFileContent(t, data, "vendor/lib/lib.yaml")
		}
		if got := vendored(); got != "kind: ConfigMap\n# lib v1\n" {
			t.Fatalf("vendor/lib/lib.yaml in the artifact: %q", got)
		}

		second := lib.commitAndPush(map[string]string{"base/lib.yaml": "kind: ConfigMap\n# lib v2\n"})
		kubectl(t, "annotate", "gitrepository", "lib", "-n", ns, "--overwrite", "gitops.io/requestedAt="+second)
		// Only lib is asked; app follows its new artifact by itself.
		kubectlWait(t, 30*time.Second, "--for=jsonpath={.status.includedArtifacts[0].revision}=main@sha1:"+second, "gitrepository/app", "-n", ns)
		if got := vendored(); got != "kind: ConfigMap\n# lib v2\n" {
			t.Errorf("after lib's new commit, vendor/lib/lib.yaml in app's artifact is %q", got)
		}
	})

	t.Run("through the proxy of proxySecretRef", func(t *testing.T) {
		t.Parallel()
		ns := newNamespace(t)
		proxyPassword := "proxy-" + randomHex(t)
		proxy := startForwardProxy(t, "proxy-user", proxyPassword)
		repo := server.newRepo(t, "proxied", map[string]string{"app.yaml": "kind: ConfigMap\n"})
		createBasicAuthSecret(t, ns, "git-auth", "e2e", password)
		kubectl(t, "create", "secret", "generic", "proxy", "-n", ns, "--from-literal=address="+proxy.url,
			"--from-literal=username=proxy-user", "--from-literal=password="+proxyPassword)
		kubectlWithInput(t, fmt.Sprintf(`apiVersion: gitops.io/v1alpha1
kind: GitRepository
metadata:
  name: proxied
spec:
  url: %s
  interval: 10m
  ref:
    branch: main
  secretRef:
    name: git-auth
  proxySecretRef:
    name: proxy
`, repo.url), "apply", "-n", ns, "-f", "-")
		kubectlWait(t, time.Minute, "--for=condition=Ready", "gitrepository/proxied", "-n", ns)
		if n := proxy.forwarded.Load(); n == 0 {
			t.Error("the GitRepository is Ready but nothing went through its proxy")
		}
		assertLogHasNo(t, proxyPassword)
	})

	t.Run("new commit is picked up on the interval", func(t *testing.T) {
		t.Parallel()
		ns := newNamespace(t)
		repo := server.newRepo(t, "interval", map[string]string{"app.yaml": "kind: ConfigMap\n"})
		createBasicAuthSecret(t, ns, "git-auth", "e2e", password)
		applyGitRepository(t, ns, "interval", repo.url, "main", "git-auth", "3s")
		kubectlWait(t, time.Minute, "--for=condition=Ready", "gitrepository/interval", "-n", ns)
		second := repo.commitAndPush(map[string]string{"app.yaml": "kind: ConfigMap\n# second\n"})
		kubectlWait(t, 30*time.Second, "--for=jsonpath={.status.artifact.revision}=main@sha1:"+second, "gitrepository/interval", "-n", ns)
	})

	t.Run("suspended is left alone until resumed", func(t *testing.T) {
		t.Parallel()
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
	})

	t.Run("deleting removes its artifacts", func(t *testing.T) {
		t.Parallel()
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
	})

	t.Cleanup(func() {
		assertLogHasNo(t, password)
		assertLogHasNo(t, token)
		if t.Failed() || os.Getenv("E2E_SHOW_SERVER_LOG") != "" {
			t.Logf("end of %s:\n%s", env.server.LogPath, env.server.LogTail(40))
		}
	})
}

// waitForEvent waits for an Event about GitRepository name with reason and
// a message containing text.
func waitForEvent(t *testing.T, ns, name, reason, text string) {
	t.Helper()
	err := eventually(20*time.Second, func() error {
		out := kubectl(t, "get", "events", "-n", ns, "--field-selector",
			"involvedObject.kind=GitRepository,involvedObject.name="+name+",reason="+reason,
			"-o", "jsonpath={range .items[*]}{.message}{\"\\n\"}{end}")
		if !strings.Contains(out, text) {
			return fmt.Errorf("no %s Event for %s/%s saying %q; have:\n%s", reason, ns, name, text, out)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

// waitForMetric waits until the server's /metrics has a line starting with series.
func waitForMetric(t *testing.T, series string) {
	t.Helper()
	client := serverClient(t)
	err := eventually(10*time.Second, func() error {
		for _, line := range strings.Split(get(t, client, "/metrics"), "\n") {
			if strings.HasPrefix(line, series+" ") {
				return nil
			}
		}
		return fmt.Errorf("/metrics has no %s", series)
	})
	if err != nil {
		t.Error(err)
	}
}

func applyGitRepository(t testing.TB, ns, name, url, branch, secret, interval string) {
	t.Helper()
	kubectlWithInput(t, fmt.Sprintf(`apiVersion: gitops.io/v1alpha1
kind: GitRepository
metadata:
  name: %s
spec:
  url: %s
  interval: %s
  ref:
    branch: %s
  secretRef:
    name: %s
`, name, url, interval, branch, secret), "apply", "-n", ns, "-f", "-")
}

// createBasicAuthSecret creates or replaces a Secret with Flux's basic auth keys.
func createBasicAuthSecret(t testing.TB, ns, name, user, password string) {
	t.Helper()
	manifest := kubectl(t, "create", "secret", "generic", name, "-n", ns, "--dry-run=client", "-o", "yaml",
		"--from-literal=username="+user, "--from-literal=password="+password)
	kubectlWithInput(t, manifest, "apply", "-f", "-")
}

type artifactInfo struct{ revision, digest, url string }

func artifactStatus(t *testing.T, ns, name string) artifactInfo {
	t.Helper()
	out := kubectl(t, "get", "gitrepository", name, "-n", ns, "-o",
		`jsonpath={.status.artifact.revision} {.status.artifact.digest} {.status.artifact.url}`)
	fields := strings.Fields(out)
	if len(fields) != 3 || !strings.HasPrefix(fields[1], "sha256:") || len(fields[1]) != len("sha256:")+64 {
		t.Fatalf("status.artifact of %s/%s is %q; want revision, sha256 digest and url", ns, name, out)
	}
	return artifactInfo{fields[0], fields[1], fields[2]}
}

func readyCondition(t *testing.T, ns, name string) (reason, message string) {
	t.Helper()
	reason = kubectl(t, "get", "gitrepository", name, "-n", ns, "-o", `jsonpath={.status.conditions[?(@.type=="Ready")].reason}`)
	message = kubectl(t, "get", "gitrepository", name, "-n", ns, "-o", `jsonpath={.status.conditions[?(@.type=="Ready")].message}`)
	return reason, message
}

// kubectlWait runs kubectl wait with its own timeout, longer than other
// kubectl calls may take.
func kubectlWait(t testing.TB, timeout time.Duration, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), timeout+10*time.Second)
	defer cancel()
	args = append([]string{"--kubeconfig", env.cp.KubeconfigPath, "wait", "--timeout=" + timeout.String()}, args...)
	out, err := exec.CommandContext(ctx, env.kubectl, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl %s: %v\n%s", strings.Join(args[2:], " "), err, out)
	}
}

// kubectlRaw fetches path with kubectl get --raw, as user when not empty.
// The error carries kubectl's stderr.
func kubectlRaw(t testing.TB, path, user string) ([]byte, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), commandTimeout)
	defer cancel()
	args := []string{"--kubeconfig", env.cp.KubeconfigPath, "get", "--raw", path}
	if user != "" {
		args = append(args, "--as="+user)
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, env.kubectl, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("%v: %s", err, stderr.String())
	}
	return out, nil
}

func artifactBytes(t *testing.T, a artifactInfo, user string) []byte {
	t.Helper()
	data, err := kubectlRaw(t, a.url, user)
	if err != nil {
		t.Fatalf("kubectl get --raw %s: %v", a.url, err)
	}
	return data
}

func digestOf(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// tarFiles lists the entries of a tar.gz in order.
func tarFiles(t *testing.T, data []byte) []string {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("artifact is not gzip: %v", err)
	}
	var names []string
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return names
		}
		if err != nil {
			t.Fatalf("artifact is not a tar: %v", err)
		}
		names = append(names, h.Name)
	}
}

// tarFileContent returns the content of one file of a tar.gz.
func tarFileContent(t *testing.T, data []byte, name string) string {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("artifact is not gzip: %v", err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err != nil {
			t.Fatalf("no %s in the artifact: %v", name, err)
		}
		if h.Name == name {
			content, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			return string(content)
		}
	}
}

// assertLogHasNo fails when the server's log contains secret.
func assertLogHasNo(t testing.TB, secret string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(env.dir, "gitops-apiserver.log"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(secret)) {
		t.Errorf("the server log shows a password")
	}
}

func randomHex(t testing.TB) string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

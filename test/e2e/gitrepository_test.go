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
)

// The GitRepository reconciler against a real Git server (git http-backend
// with basic auth) on loopback.
func TestGitRepositoryReconciler(t *testing.T) {
	useReconcilers(t)
	password, token := "pw-"+randomHex(t), "token-"+randomHex(t)
	server := startGitServer(t, "e2e", password, token)
	t.Cleanup(func() {
		assertLogHasNo(t, password)
		assertLogHasNo(t, token)
		if t.Failed() || os.Getenv("E2E_SHOW_SERVER_LOG") != "" {
			t.Logf("end of %s:\n%s", env.server.LogPath, env.server.LogTail(40))
		}
	})
	for _, feature := range []struct {
		name string
		test func(t *testing.T, server *gitServer, password, token string)
	}{
		{"becomes Ready with revision and digest, and follows a new commit on request", testReadyWithRevisionDigestAndNewCommitOnRequest},
		{"wrong password is AuthenticationFailed until the Secret is fixed", testWrongPasswordUntilSecretIsFixed},
		{"unreachable host is not Ready and says so, until the server is up", testUnreachableHost},
		{"file URLs are refused without --allow-file-urls", testFileURLsRefused},
		{"missing branch is not Ready and names the branch, until it is pushed", testMissingBranch},
		{"bearer token from the Secret", testBearerToken},
		{"https needs the CA from the Secret", testHTTPSNeedsCA},
		{"ssh with identity and known_hosts from the Secret", testSSH},
		{"commit signatures are verified with the keys of a Secret", testCommitSignaturesVerified},
		{"include copies another GitRepository's artifact and follows it", testIncludeFollowsIncludedArtifact},
		{"through the proxy of proxySecretRef", testProxy},
		{"new commit is picked up on the interval", testNewCommitOnInterval},
		{"suspended is left alone until resumed", testSuspendedUntilResumed},
		{"deleting removes its artifacts", testDeleteRemovesArtifacts},
	} {
		t.Run(feature.name, func(t *testing.T) {
			t.Parallel()
			feature.test(t, server, password, token)
		})
	}
}

// waitForEvent waits for an Event about GitRepository name with reason and
// a message containing text.
func waitForEvent(t *testing.T, ns, name, reason, text string) {
	t.Helper()
	waitForEventOf(t, ns, "GitRepository", name, reason, text)
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
	kubectlWithInput(t, gitRepositoryOnBranch(name, url, branch, secret, interval), "apply", "-n", ns, "-f", "-")
}

// gitRepositoryOnBranch is the YAML of a GitRepository that follows branch
// with the credentials of Secret secret.
func gitRepositoryOnBranch(name, url, branch, secret, interval string) string {
	return fmt.Sprintf(`apiVersion: gitops.io/v1alpha1
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
`, name, url, interval, branch, secret)
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
	return artifactStatusOf(t, ns, "gitrepository/"+name)
}

// artifactStatusOf reads status.artifact of a source object (resource/name).
func artifactStatusOf(t *testing.T, ns, object string) artifactInfo {
	t.Helper()
	out := kubectl(t, "get", object, "-n", ns, "-o",
		`jsonpath={.status.artifact.revision} {.status.artifact.digest} {.status.artifact.url}`)
	fields := strings.Fields(out)
	if len(fields) != 3 || !strings.HasPrefix(fields[1], "sha256:") || len(fields[1]) != len("sha256:")+64 {
		t.Fatalf("status.artifact of %s in %s is %q; want revision, sha256 digest and url", object, ns, out)
	}
	return artifactInfo{fields[0], fields[1], fields[2]}
}

func readyCondition(t *testing.T, ns, name string) (reason, message string) {
	t.Helper()
	return readyConditionOf(t, ns, "gitrepository/"+name)
}

// readyConditionOf returns the reason and message of the Ready condition of
// object (resource/name).
func readyConditionOf(t *testing.T, ns, object string) (reason, message string) {
	t.Helper()
	// One read, so reason and message come from the same status; a reason
	// has no newline, a message may.
	out := kubectl(t, "get", object, "-n", ns, "-o",
		`jsonpath={.status.conditions[?(@.type=="Ready")].reason}{"\n"}{.status.conditions[?(@.type=="Ready")].message}`)
	reason, message, _ = strings.Cut(out, "\n")
	return reason, message
}

// kubectlWait runs kubectl wait with its own timeout, longer than other
// kubectl calls may take.
func kubectlWait(t testing.TB, timeout time.Duration, args ...string) {
	t.Helper()
	args = append([]string{"wait", "--timeout=" + timeout.String()}, args...)
	if out, err := tryKubectlWithin(t, timeout+10*time.Second, "", args...); err != nil {
		t.Fatalf("kubectl %s: %v\n%s", strings.Join(args, " "), err, out)
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

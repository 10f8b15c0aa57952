package e2e

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// commandTimeout bounds every kubectl and git call; a hung call fails its
// test instead of the whole run.
const commandTimeout = 30 * time.Second

// kubectl runs kubectl as the control plane's admin and fails the test if it
// fails. It returns the combined output.
func kubectl(t testing.TB, args ...string) string {
	t.Helper()
	out, err := tryKubectl(t, "", args...)
	if err != nil {
		t.Fatalf("kubectl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// kubectlWithInput is kubectl with stdin, for `apply -f -`.
func kubectlWithInput(t testing.TB, stdin string, args ...string) string {
	t.Helper()
	out, err := tryKubectl(t, stdin, args...)
	if err != nil {
		t.Fatalf("kubectl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// tryKubectl runs kubectl and returns its output and error, for calls that
// are expected to fail.
func tryKubectl(t testing.TB, stdin string, args ...string) (string, error) {
	t.Helper()
	return tryKubectlWithin(t, commandTimeout, stdin, args...)
}

// tryKubectlWithin is tryKubectl for a command that may take up to timeout.
func tryKubectlWithin(t testing.TB, timeout time.Duration, stdin string, args ...string) (string, error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		out, err := runKubectl(t, timeout, stdin, args...)
		// Just after a test restarted gitops-apiserver, kube-apiserver may
		// drop the group from discovery for a moment; kubectl then knows
		// none of its kinds ("no matches for kind" on apply, "doesn't have a
		// resource type" on get). Every other failure is the test's to judge.
		if err == nil || !groupMissing(out) || time.Now().After(deadline) {
			return out, err
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func groupMissing(out string) bool {
	return strings.Contains(out, "no matches for kind") || strings.Contains(out, "the server doesn't have a resource type")
}

func runKubectl(t testing.TB, timeout time.Duration, stdin string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, env.kubectl, append([]string{"--kubeconfig", env.cp.KubeconfigPath}, args...)...)
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// background is a long-running command such as `kubectl get -w` whose output
// lines are collected as they arrive.
type background struct {
	cmd   *exec.Cmd
	mu    sync.Mutex
	lines []string
	added chan struct{}
	done  atomic.Bool
}

// startKubectl starts kubectl in the background; it is stopped when the test ends.
func startKubectl(t testing.TB, args ...string) *background {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	cmd := exec.CommandContext(ctx, env.kubectl, append([]string{"--kubeconfig", env.cp.KubeconfigPath}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b := &background{cmd: cmd, added: make(chan struct{}, 1)}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		scanner := bufio.NewScanner(stdout)
		for scanner.Scan() {
			b.mu.Lock()
			b.lines = append(b.lines, scanner.Text())
			b.mu.Unlock()
			select {
			case b.added <- struct{}{}:
			default:
			}
		}
		_ = cmd.Wait()
		b.done.Store(true)
		select {
		case b.added <- struct{}{}:
		default:
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-finished
		if t.Failed() {
			t.Logf("kubectl %s printed:\n%s\nstderr:\n%s", strings.Join(args, " "), strings.Join(b.output(), "\n"), stderr.String())
		}
	})
	return b
}

func (b *background) output() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.lines...)
}

// waitForLine waits up to timeout for an output line that matches pattern.
func (b *background) waitForLine(pattern *regexp.Regexp, timeout time.Duration) (string, error) {
	deadline := time.After(timeout)
	for {
		for _, line := range b.output() {
			if pattern.MatchString(line) {
				return line, nil
			}
		}
		if b.done.Load() {
			return "", fmt.Errorf("command ended without printing a line matching %s", pattern)
		}
		select {
		case <-b.added:
		case <-deadline:
			return "", fmt.Errorf("no line matching %s within %v", pattern, timeout)
		}
	}
}

var namespaceSeq atomic.Int64

// newNamespace creates a namespace for one test. The server refuses objects
// in namespaces that do not exist in the cluster, as kube-apiserver does.
func newNamespace(t testing.TB) string {
	t.Helper()
	name := strings.ToLower(regexp.MustCompile(`[^a-zA-Z0-9]+`).ReplaceAllString(t.Name(), "-"))
	name = fmt.Sprintf("%.50s-%d", strings.Trim(name, "-"), namespaceSeq.Add(1))
	kubectl(t, "create", "namespace", name)
	return name
}

// git runs the git CLI and fails the test if it fails.
func git(t testing.TB, args ...string) string {
	t.Helper()
	out, err := tryGit(t, args...)
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func tryGit(t testing.TB, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", args...)
	// Only this test's settings apply, never those of whoever runs it.
	cmd.Env = append(cmd.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// storageGit runs git on the server's storage repository.
func storageGit(t testing.TB, args ...string) string {
	t.Helper()
	return git(t, storageGitArgs(args)...)
}

func tryStorageGit(t testing.TB, args ...string) (string, error) {
	t.Helper()
	return tryGit(t, storageGitArgs(args)...)
}

func storageGitArgs(args []string) []string {
	return append([]string{"--git-dir", env.storage}, args...)
}

// manifestPath is where the server keeps an object on the storage branch.
func manifestPath(namespace, resource, name string) string {
	return filepath.ToSlash(filepath.Join(namespace, resource, name+".yaml"))
}

// eventually retries check every 100ms until it passes or timeout passes,
// and returns its last error.
func eventually(timeout time.Duration, check func() error) error {
	deadline := time.Now().Add(timeout)
	for {
		err := check()
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func contextWithTimeout(t testing.TB, timeout time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(t.Context(), timeout)
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

// createBasicAuthSecret creates or replaces a Secret with Flux's basic auth keys.
func createBasicAuthSecret(t testing.TB, ns, name, user, password string) {
	t.Helper()
	manifest := kubectl(t, "create", "secret", "generic", name, "-n", ns, "--dry-run=client", "-o", "yaml",
		"--from-literal=username="+user, "--from-literal=password="+password)
	kubectlWithInput(t, manifest, "apply", "-f", "-")
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

// showServerLogOnFailure checks at the end of t that the server's log holds
// none of secrets, and prints the log's tail when t failed or
// E2E_SHOW_SERVER_LOG is set.
func showServerLogOnFailure(t testing.TB, secrets ...string) {
	t.Cleanup(func() {
		for _, secret := range secrets {
			assertLogHasNo(t, secret)
		}
		if t.Failed() || os.Getenv("E2E_SHOW_SERVER_LOG") != "" {
			t.Logf("end of %s:\n%s", env.server.LogPath, env.server.LogTail(60))
		}
	})
}

func randomHex(t testing.TB) string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// The identity that owns objects taken in from a git push: the server's
// --push-identity and --push-identity-groups defaults.
const (
	pushIdentity = "gitops:push"
	pushersGroup = "gitops:pushers"
)

// bindPushers binds the push identity's group to the built-in ClusterRole
// admin in namespace. A pushed object is owned by the push identity and its
// reconciler acts as its owner, so a test that pushes an object to be
// reconciled grants pushers what the object does, as an administrator would.
func bindPushers(t testing.TB, namespace string) {
	t.Helper()
	kubectl(t, "create", "rolebinding", "gitops-pushers", "-n", namespace, "--clusterrole=admin", "--group="+pushersGroup)
	err := eventually(10*time.Second, func() error {
		out, _ := tryKubectl(t, "", "auth", "can-i", "create", "configmaps", "-n", namespace,
			"--as="+pushIdentity, "--as-group="+pushersGroup)
		if strings.TrimSpace(out) != "yes" {
			return fmt.Errorf("kubectl auth can-i create configmaps --as=%s --as-group=%s: %s", pushIdentity, pushersGroup, out)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

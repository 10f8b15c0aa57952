// Package e2e tests gitops-apiserver the way people use it: a real etcd and
// kube-apiserver (test/controlplane), the server built from cmd/ and run as a
// child process behind an APIService, and the real kubectl and git CLIs.
//
// The control plane and server start once for the package; each test works
// in namespaces of its own, so tests do not see each other's objects.
package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gitops.io/apiserver/test/controlplane"
)

const (
	serverNamespace = "gitops-system"
	serviceName     = "gitops-apiserver"
	storageBranch   = "main"
)

// env is the environment every test runs against.
var env *environment

type environment struct {
	dir     string
	cp      *controlplane.ControlPlane
	kubectl string
	// storage is the bare Git repository the server stores objects in.
	storage string

	serverBinary string
	port         int
	cert         *controlplane.ServingCert
	server       *controlplane.Process
	// reconcilers runs the server with its reconcilers.
	reconcilers bool
	// extraArgs are further flags of the server, set by one test.
	extraArgs []string
}

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "gitops-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	e, err := setUp(dir)
	if e != nil {
		defer e.tearDown()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e setup: %v\n(logs in %s)\n", err, dir)
		return 1
	}
	env = e
	code := m.Run()
	e.tearDown()
	if raceEnabled && e.serverLogHasDataRace() {
		fmt.Fprintf(os.Stderr, "e2e: gitops-apiserver reported a data race; see %s\n", filepath.Join(dir, "gitops-apiserver.log"))
		code = 1
	}
	if code != 0 {
		// Keep what explains the failure.
		fmt.Fprintf(os.Stderr, "e2e: logs and storage repository kept in %s\n", dir)
		return code
	}
	os.RemoveAll(dir)
	return 0
}

func setUp(dir string) (*environment, error) {
	e := &environment{dir: dir, storage: filepath.Join(dir, "storage.git")}
	var err error
	if e.kubectl, err = controlplane.KubectlPath(); err != nil {
		return nil, err
	}
	if e.serverBinary, err = buildServer(dir); err != nil {
		return nil, err
	}
	if e.cp, err = controlplane.Launch(controlplane.Options{Dir: filepath.Join(dir, "controlplane")}); err != nil {
		return nil, err
	}
	if e.port, err = controlplane.FreePort(); err != nil {
		return e, err
	}
	if e.cert, err = controlplane.WriteServingCert(dir, serverNamespace, serviceName); err != nil {
		return e, err
	}
	if err := e.startServer(); err != nil {
		return e, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := e.cp.RegisterAPIService(ctx, "", "", serverNamespace, serviceName, e.port, e.cert.CABundle); err != nil {
		return e, err
	}
	if err := e.waitServing(ctx); err != nil {
		return e, err
	}
	// The view/edit/admin roles people are bound to, as installed on a cluster.
	root, err := controlplane.RepoRoot()
	if err != nil {
		return e, err
	}
	out, err := exec.CommandContext(ctx, e.kubectl, "--kubeconfig", e.cp.KubeconfigPath,
		"apply", "-f", filepath.Join(root, "artifacts", "aggregated-roles.yaml")).CombinedOutput()
	if err != nil {
		return e, fmt.Errorf("kubectl apply artifacts/aggregated-roles.yaml: %v\n%s", err, out)
	}
	return e, nil
}

// buildServer builds cmd/gitops-apiserver into dir.
func buildServer(dir string) (string, error) {
	bin := filepath.Join(dir, "gitops-apiserver")
	// A server built elsewhere, e.g. of another commit, to compare two
	// versions in one harness (BenchmarkKustomizationsReady).
	if built := os.Getenv("GITOPS_E2E_SERVER_BINARY"); built != "" {
		return bin, copyExecutable(built, bin)
	}
	root, err := controlplane.RepoRoot()
	if err != nil {
		return "", err
	}
	linked := bin + ".linked"
	args := []string{"build", "-o", linked}
	if raceEnabled {
		args = append(args, "-race")
	}
	build := exec.Command("go", append(args, "./cmd/gitops-apiserver")...)
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/gitops-apiserver: %v\n%s", err, out)
	}
	defer os.Remove(linked)
	return bin, copyExecutable(linked, bin)
}

// copyExecutable copies a binary. The peak RSS the benchmarks report counts
// the binary's resident pages, and the file as the Go linker wrote it shows
// more of them than a copy (the same binary peaked at 217 MiB as linked and
// 179 MiB as copied, the difference all in its file-backed pages), so every
// server runs from a copy and two builds compare on equal terms.
func copyExecutable(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// startServer starts gitops-apiserver on the environment's port and storage
// repository, with delegated authentication and authorization against the
// control plane, as hack/local-up.sh does.
func (e *environment) startServer() error {
	args := []string{
		"--secure-port=" + strconv.Itoa(e.port),
		"--bind-address=127.0.0.1",
		"--tls-cert-file=" + e.cert.CertFile,
		"--tls-private-key-file=" + e.cert.KeyFile,
		"--kubeconfig=" + e.cp.KubeconfigPath,
		"--authentication-kubeconfig=" + e.cp.KubeconfigPath,
		"--authorization-kubeconfig=" + e.cp.KubeconfigPath,
		"--storage-path=" + e.storage,
		"--storage-branch=" + storageBranch,
		// Out of a cluster the server cannot find its namespace itself.
		"--server-namespace=" + serverNamespace,
		// Most tests are about the API, and reconcilers would write status
		// (and so resource versions) at times of their own choosing; tests
		// of reconcilers turn them on with useReconcilers.
		"--reconcilers=" + strconv.FormatBool(e.reconcilers),
		// override_manager_test.go's intruder.
		"--override-manager=" + intruderManager,
	}
	args = append(args, e.extraArgs...)
	p, err := controlplane.StartProcess("gitops-apiserver", e.serverBinary, args,
		filepath.Join(e.dir, "gitops-apiserver.log"), false)
	if err != nil {
		return err
	}
	e.server = p
	return nil
}

// waitServing waits until the APIService is Available and kubectl reaches the
// group through kube-apiserver, or the server exits.
func (e *environment) waitServing(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Read e.server here: a later restart replaces it while this goroutine
	// may still be finishing.
	exited := e.server.Exited()
	go func() {
		select {
		case <-exited:
			cancel()
		case <-ctx.Done():
		}
	}()
	if err := e.cp.WaitAPIServiceAvailable(ctx, "", ""); err != nil {
		return fmt.Errorf("%w\nend of %s:\n%s", err, e.server.LogPath, e.server.LogTail(30))
	}
	// Available can be reported before kube-apiserver serves the group's
	// resources and OpenAPI (kubectl explain); wait for both, as users would.
	for {
		out, err := exec.CommandContext(ctx, e.kubectl, "--kubeconfig", e.cp.KubeconfigPath,
			"get", "kustomizations", "--all-namespaces").CombinedOutput()
		if err == nil {
			out, err = exec.CommandContext(ctx, e.kubectl, "--kubeconfig", e.cp.KubeconfigPath,
				"get", "--raw", "/openapi/v3").CombinedOutput()
			if err == nil && !strings.Contains(string(out), `"apis/gitops.io/v1alpha1"`) {
				err = errors.New("/openapi/v3 does not list apis/gitops.io/v1alpha1 yet")
			}
		}
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("gitops.io not served: %v\n%s\nend of %s:\n%s", err, out, e.server.LogPath, e.server.LogTail(30))
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// restartServer stops gitops-apiserver and starts it again on the same port
// and storage repository.
func (e *environment) restartServer(ctx context.Context) error {
	e.server.Stop()
	if err := e.startServer(); err != nil {
		return err
	}
	return e.waitServing(ctx)
}

// tearDown stops the server and the control plane; it may be called twice.
// useReconcilers restarts the server with its reconcilers for the rest of
// the test, and without them again once the test ends.
func useReconcilers(t testing.TB) {
	t.Helper()
	setReconcilers := func(on bool) error {
		if env.reconcilers == on {
			return nil
		}
		env.reconcilers = on
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		return env.restartServer(ctx)
	}
	if err := setReconcilers(true); err != nil {
		t.Fatalf("restarting gitops-apiserver with reconcilers: %v", err)
	}
	t.Cleanup(func() {
		if err := setReconcilers(false); err != nil {
			t.Errorf("restarting gitops-apiserver without reconcilers: %v", err)
		}
	})
}

func (e *environment) tearDown() {
	if e.server != nil {
		e.server.Stop()
	}
	if e.cp != nil {
		e.cp.Stop()
	}
}

// serverLogHasDataRace reports whether the race detector complained in any
// run of the server (restarts append to the same log).
func (e *environment) serverLogHasDataRace() bool {
	data, err := os.ReadFile(filepath.Join(e.dir, "gitops-apiserver.log"))
	return err == nil && strings.Contains(string(data), "WARNING: DATA RACE")
}

// Command localup starts a local control plane (etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler, and kwok playing one Node) that
// keeps running after it exits and, when the repository has
// cmd/gitops-apiserver, builds that server, starts it and registers it as
// gitops.io/v1alpha1. State, logs and pid files live in _output/local.
// Run it through hack/local-up.sh; hack/local-down.sh stops everything.
//
// Running it again keeps a healthy control plane and restarts gitops-apiserver
// from the current source.
package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"gitops.io/apiserver/test/controlplane"
)

const (
	namespace   = "gitops-system"
	serviceName = "gitops-apiserver"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "local-up:", err)
		os.Exit(1)
	}
}

func run() error {
	root, err := controlplane.RepoRoot()
	if err != nil {
		return err
	}
	state := filepath.Join(root, "_output", "local")
	cp, err := controlPlane(root, state)
	if err != nil {
		return err
	}

	storage := filepath.Join(state, "storage.git")
	_, err = os.Stat(filepath.Join(root, "cmd", "gitops-apiserver"))
	hasServer := err == nil
	if hasServer {
		if err := runGitopsAPIServer(root, state, storage, cp); err != nil {
			return err
		}
		url, password, err := startGitServer(root, state)
		if err != nil {
			return err
		}
		charts, err := startHelmRepo(root, state)
		if err != nil {
			return err
		}
		if err := deployExample(cp, url, password, charts); err != nil {
			return err
		}
	}

	fmt.Printf("\nControl plane is up (logs and pid files in %s).\n", state)
	if hasServer {
		fmt.Printf("gitops.io/v1alpha1 is served by gitops-apiserver; storage repository: %s\n", storage)
		fmt.Printf("The example application's repository: %s\n", filepath.Join(state, "git", exampleRepo))
	} else {
		fmt.Println("cmd/gitops-apiserver does not exist yet: only the control plane runs.")
	}
	fmt.Printf("Stop it with hack/local-down.sh. To use it:\n\nexport KUBECONFIG=%s\n", cp.KubeconfigPath)
	return nil
}

// controlPlane reuses the control plane of an earlier run if it still serves,
// and otherwise clears leftovers and starts a new one.
func controlPlane(root, state string) (*controlplane.ControlPlane, error) {
	if cp, err := controlplane.Attach(state); err == nil {
		fmt.Println("Reusing the running control plane.")
		return cp, nil
	}
	if err := localDown(root); err != nil {
		return nil, err
	}
	fmt.Println("Starting etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok...")
	cp, err := controlplane.Launch(controlplane.Options{Dir: state, Detached: true, Durable: true})
	if err != nil {
		return nil, err
	}
	for _, p := range cp.Processes() {
		if err := writePidFile(state, p); err != nil {
			return nil, err
		}
	}
	return cp, nil
}

// runGitopsAPIServer (re)builds and (re)starts gitops-apiserver, registers
// its APIService and waits until kube-apiserver reports it Available.
func runGitopsAPIServer(root, state, storage string, cp *controlplane.ControlPlane) error {
	if err := localDown(root, "gitops-apiserver"); err != nil {
		return err
	}
	bin := filepath.Join(state, "gitops-apiserver")
	fmt.Println("Building cmd/gitops-apiserver...")
	if err := goBuild(root, bin, "./cmd/gitops-apiserver"); err != nil {
		return err
	}
	port, err := controlplane.FreePort()
	if err != nil {
		return err
	}
	cert, err := controlplane.WriteServingCert(state, namespace, serviceName)
	if err != nil {
		return err
	}
	p, err := startGitopsAPIServer(bin, state, storage, port, cert, cp)
	if err != nil {
		return err
	}
	if err := writePidFile(state, p); err != nil {
		return err
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	go func() {
		// Stop waiting as soon as the server dies; its log says why.
		select {
		case <-p.Exited():
			cancel()
		case <-ctx.Done():
		}
	}()
	if err := cp.RegisterAPIService(ctx, "", "", namespace, serviceName, port, cert.CABundle); err != nil {
		return err
	}
	fmt.Println("Waiting for APIService v1alpha1.gitops.io to become Available...")
	if err := cp.WaitAPIServiceAvailable(ctx, "", ""); err != nil {
		return fmt.Errorf("%w\nend of %s:\n%s", err, p.LogPath, p.LogTail(30))
	}
	return nil
}

// startGitopsAPIServer starts gitops-apiserver detached with the flags a
// local run needs; this is the one place to adjust them.
func startGitopsAPIServer(bin, state, storage string, port int, cert *controlplane.ServingCert, cp *controlplane.ControlPlane) (*controlplane.Process, error) {
	args := []string{
		"--secure-port=" + strconv.Itoa(port),
		"--bind-address=127.0.0.1",
		"--tls-cert-file=" + cert.CertFile,
		"--tls-private-key-file=" + cert.KeyFile,
		// Delegated authentication and authorization go to the control plane.
		"--kubeconfig=" + cp.KubeconfigPath,
		"--authentication-kubeconfig=" + cp.KubeconfigPath,
		"--authorization-kubeconfig=" + cp.KubeconfigPath,
		"--storage-path=" + storage,
		// Out of a cluster the server cannot find its namespace itself.
		"--server-namespace=" + namespace,
	}
	return controlplane.StartProcess("gitops-apiserver", bin, args, filepath.Join(state, "gitops-apiserver.log"), true)
}

// goBuild builds the command in pkg (a path relative to root) into bin.
func goBuild(root, bin, pkg string) error {
	build := exec.Command("go", "build", "-o", bin, pkg)
	build.Dir, build.Stdout, build.Stderr = root, os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("go build %s: %w", pkg, err)
	}
	return nil
}

func writePidFile(state string, p *controlplane.Process) error {
	return os.WriteFile(filepath.Join(state, p.Name+".pid"), []byte(strconv.Itoa(p.Pid())+"\n"), 0o644)
}

// localDown stops the named components (all when none are named) with
// hack/local-down.sh, the one place that knows how to stop them.
func localDown(root string, names ...string) error {
	cmd := exec.Command(filepath.Join(root, "hack", "local-down.sh"), names...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Run()
}

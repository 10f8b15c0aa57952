package controlplane

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

const moduleName = "gitops.io/apiserver"

// RepoRoot walks up from the working directory to the go.mod of module
// gitops.io/apiserver. Tests run in their package folder, so this finds the
// repository wherever the checkout lives.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && modulePath(data) == moduleName {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod of module %s above the working directory", moduleName)
		}
		dir = parent
	}
}

func modulePath(gomod []byte) string {
	for _, line := range strings.Split(string(gomod), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}

// BinDir returns the folder holding kube-apiserver, kube-controller-manager,
// kube-scheduler, kubectl, etcd, kwok and kwok-stages.yaml. It runs
// hack/build-control-plane.sh, which builds them on first use and otherwise
// only prints the folder; the answer is kept for the life of the process.
var BinDir = sync.OnceValues(func() (string, error) {
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	cmd := exec.Command(filepath.Join(root, "hack", "build-control-plane.sh"))
	cmd.Stderr = os.Stderr // a cold build takes minutes; show its progress
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("hack/build-control-plane.sh: %w", err)
	}
	lines := bytes.Split(bytes.TrimSpace(out), []byte("\n"))
	dir := string(lines[len(lines)-1])
	if dir == "" {
		return "", errors.New("hack/build-control-plane.sh printed no folder")
	}
	return dir, nil
})

func binary(name string) (string, error) {
	dir, err := BinDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, name), nil
}

// KubectlPath returns the kubectl built at the same version as kube-apiserver.
func KubectlPath() (string, error) { return binary("kubectl") }

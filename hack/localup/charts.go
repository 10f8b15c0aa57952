package main

import (
	"fmt"
	"path/filepath"
	"strconv"

	"gitops.io/apiserver/test/controlplane"
)

// startHelmRepo (re)starts hack/helmrepo on a free loopback port, serving
// the charts of hack/localup/charts, and returns the repository's URL.
func startHelmRepo(root, state string) (string, error) {
	if err := localDown(root, "helm-repo"); err != nil {
		return "", err
	}
	bin := filepath.Join(state, "helm-repo")
	if err := goBuild(root, bin, "./hack/helmrepo"); err != nil {
		return "", err
	}
	port, err := controlplane.FreePort()
	if err != nil {
		return "", err
	}
	p, err := controlplane.StartProcess("helm-repo", bin, []string{
		"--charts=" + filepath.Join(root, "hack", "localup", "charts"),
		"--dir=" + filepath.Join(state, "charts"),
		"--listen=127.0.0.1:" + strconv.Itoa(port),
	}, filepath.Join(state, "helm-repo.log"), true)
	if err != nil {
		return "", err
	}
	if err := writePidFile(state, p); err != nil {
		return "", err
	}
	return fmt.Sprintf("http://127.0.0.1:%d", port), nil
}

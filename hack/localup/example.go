package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"gitops.io/apiserver/test/controlplane"
)

// The example application: its repository on the local Git server, and the
// namespace of its GitRepository and Kustomization.
const (
	exampleRepo      = "example.git"
	exampleNamespace = "demo"
	gitUser          = "gitops"
)

// startGitServer makes sure the example repository exists under
// state/git, (re)starts hack/gitserver on a free loopback port, and returns
// the repository's URL and the server's password.
func startGitServer(root, state string) (url, password string, err error) {
	if err := localDown(root, "git-server"); err != nil {
		return "", "", err
	}
	repos := filepath.Join(state, "git")
	if err := seedExampleRepo(root, filepath.Join(repos, exampleRepo)); err != nil {
		return "", "", err
	}
	if password, err = gitPassword(filepath.Join(state, "git-password")); err != nil {
		return "", "", err
	}
	bin := filepath.Join(state, "git-server")
	if err := goBuild(root, bin, "./hack/gitserver"); err != nil {
		return "", "", err
	}
	port, err := controlplane.FreePort()
	if err != nil {
		return "", "", err
	}
	p, err := controlplane.StartProcess("git-server", bin, []string{
		"--root=" + repos, "--listen=127.0.0.1:" + strconv.Itoa(port),
		"--user=" + gitUser, "--password-file=" + filepath.Join(state, "git-password"),
	}, filepath.Join(state, "git-server.log"), true)
	if err != nil {
		return "", "", err
	}
	if err := writePidFile(state, p); err != nil {
		return "", "", err
	}
	return fmt.Sprintf("http://127.0.0.1:%d/%s", port, exampleRepo), password, nil
}

// seedExampleRepo creates the bare repository with hack/localup/example as
// its first commit, unless it exists: later runs keep the user's commits.
func seedExampleRepo(root, bare string) error {
	if _, err := os.Stat(bare); err == nil {
		return nil
	}
	work, err := os.MkdirTemp("", "example-app-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if err := os.CopyFS(work, os.DirFS(filepath.Join(root, "hack", "localup", "example"))); err != nil {
		return err
	}
	for _, args := range [][]string{
		{"init", "--quiet", "--bare", "--initial-branch=main", bare},
		{"-C", work, "init", "--quiet", "--initial-branch=main"},
		{"-C", work, "add", "."},
		{"-C", work, "-c", "user.name=gitops demo", "-c", "user.email=demo@gitops.io", "commit", "--quiet", "-m", "Example application"},
		{"-C", work, "push", "--quiet", bare, "main"},
	} {
		if out, err := exec.Command("git", args...).CombinedOutput(); err != nil {
			return fmt.Errorf("git %s: %w\n%s", strings.Join(args, " "), err, out)
		}
	}
	return nil
}

// gitPassword reads the Git server's password, making one on the first run.
func gitPassword(path string) (string, error) {
	if data, err := os.ReadFile(path); err == nil {
		return strings.TrimSpace(string(data)), nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	secret := make([]byte, 16)
	if _, err := rand.Read(secret); err != nil {
		return "", err
	}
	password := hex.EncodeToString(secret)
	return password, os.WriteFile(path, []byte(password+"\n"), 0o600)
}

// deployExample creates the GitRepository and Kustomization of the example
// application, with the Git server's credentials in a Secret, and the
// HelmRepository of the local charts its HelmRelease installs from, and
// waits until the application is in the cluster: its Deployment Available
// and its Helm release installed.
func deployExample(cp *controlplane.ControlPlane, url, password, charts string) error {
	kubectl, err := controlplane.KubectlPath()
	if err != nil {
		return err
	}
	run := func(stdin string, args ...string) (string, error) {
		cmd := exec.Command(kubectl, append([]string{"--kubeconfig", cp.KubeconfigPath}, args...)...)
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		if err != nil {
			return "", fmt.Errorf("kubectl %s: %w\n%s", strings.Join(args, " "), err, out)
		}
		return string(out), nil
	}
	fmt.Printf("Deploying the example application from %s...\n", url)
	if _, err := run(exampleManifests(url, password, charts), "apply", "-f", "-"); err != nil {
		return err
	}
	fmt.Println("Waiting for Kustomization demo/example to apply it, for Deployment example/web to become Available and HelmRelease example/hello to install its chart...")
	if _, err := run("", "wait", "--timeout=5m", "--for=condition=Ready", "-n", exampleNamespace, "kustomization/example"); err != nil {
		return err
	}
	for _, args := range [][]string{
		{"get", "gitrepositories,helmrepositories,helmcharts,kustomizations", "-n", exampleNamespace},
		{"get", "helmreleases,deployments,pods,services,configmaps", "-n", "example"},
	} {
		out, err := run("", args...)
		if err != nil {
			return err
		}
		fmt.Printf("\n$ kubectl %s\n%s", strings.Join(args, " "), out)
	}
	return nil
}

func exampleManifests(url, password, charts string) string {
	return fmt.Sprintf(`apiVersion: v1
kind: Namespace
metadata:
  name: %[1]s
---
apiVersion: v1
kind: Secret
metadata:
  name: example-git-auth
  namespace: %[1]s
stringData:
  username: %[2]s
  password: %[3]s
---
apiVersion: gitops.io/v1alpha1
kind: GitRepository
metadata:
  name: example
  namespace: %[1]s
spec:
  url: %[4]s
  interval: 1m
  ref:
    branch: main
  secretRef:
    name: example-git-auth
---
apiVersion: gitops.io/v1alpha1
kind: Kustomization
metadata:
  name: example
  namespace: %[1]s
spec:
  interval: 10m
  path: ./
  prune: true
  # Ready only once what it applied is healthy: the Deployment Available.
  wait: true
  timeout: 2m
  sourceRef:
    kind: GitRepository
    name: example
---
apiVersion: gitops.io/v1alpha1
kind: HelmRepository
metadata:
  name: charts
  namespace: %[1]s
spec:
  url: %[5]s
  interval: 10m
`, exampleNamespace, gitUser, password, url, charts)
}

package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// withServerFlags restarts gitops-apiserver with extra flags for the rest of
// the test, and without them once it ends.
func withServerFlags(t *testing.T, flags ...string) {
	t.Helper()
	restart := func(with []string) error {
		env.extraArgs = with
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		return env.restartServer(ctx)
	}
	if err := restart(flags); err != nil {
		t.Fatalf("restarting gitops-apiserver with %v: %v", flags, err)
	}
	t.Cleanup(func() {
		if err := restart(nil); err != nil {
			t.Errorf("restarting gitops-apiserver without %v: %v", flags, err)
		}
	})
}

// useStorageRemote restarts the server for the rest of the test with its
// branch mirrored to a new repository of a git server (credentials in a
// Secret of ns), pulled every 300ms, and returns a working copy of it.
func useStorageRemote(t *testing.T, ns string) *workRepo {
	t.Helper()
	server := startGitServer(t, "storage", "s3cret", "")
	remote := server.newRepo(t, "storage-mirror", map[string]string{"README.md": "the storage branch's mirror\n"})
	// git http-backend takes pushes only where a repository allows them.
	git(t, "--git-dir", filepath.Join(server.root, "storage-mirror.git"), "config", "http.receivepack", "true")
	kubectl(t, "create", "secret", "generic", "remote-credentials", "-n", ns,
		"--from-literal=username=storage", "--from-literal=password=s3cret")
	withServerFlags(t, "--storage-remote="+remote.url, "--storage-remote-secret="+ns+"/remote-credentials",
		"--storage-remote-pull-interval=300ms")
	return remote
}

func TestStorageRemoteMirrorsAPIWritesAndPulls(t *testing.T) {
	ns := newNamespace(t)
	remote := useStorageRemote(t, ns)

	kubectl(t, "apply", "-n", ns, "-f", "testdata/gitrepository.yaml")
	pushedByAPI := manifestPath(ns, "gitrepositories", "podinfo")
	remote.git("pull", "--quiet", "--no-rebase", "origin", "main")
	if _, err := os.Stat(filepath.Join(remote.dir, pushedByAPI)); err != nil {
		t.Fatalf("the remote lacks %s right after kubectl apply: %v", pushedByAPI, err)
	}

	remote.commitAndPush(map[string]string{manifestPath(ns, "gitrepositories", "from-remote"): fmt.Sprintf(
		"apiVersion: gitops.io/v1alpha1\nkind: GitRepository\nmetadata:\n  name: from-remote\n  namespace: %s\n"+
			"spec:\n  interval: 1m\n  url: https://example.com/repo.git\n", ns)})
	err := eventually(5*time.Second, func() error {
		_, err := tryKubectl(t, "", "get", "gitrepository", "from-remote", "-n", ns)
		return err
	})
	if err != nil {
		t.Fatalf("a commit pushed to the remote was not served within 5s: %v", err)
	}
}

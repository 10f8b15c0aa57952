package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestApplyCommitsManifestAuthoredByUser(t *testing.T) {
	ns := newNamespace(t)
	const user = "e2e-author"
	bindRole(t, ns, user, "gitops-edit", "create")

	kubectl(t, "apply", "-n", ns, "-f", "testdata/kustomization.yaml", "--as="+user)

	path := manifestPath(ns, "kustomizations", "podinfo")
	// The Git view of a write follows its answer by a few milliseconds, up to
	// 50 ms under load.
	var manifest string
	if err := eventually(5*time.Second, func() error {
		var err error
		manifest, err = tryStorageGit(t, "show", storageBranch+":"+path)
		return err
	}); err != nil {
		t.Fatalf("%s is not on %s: %v\n%s", path, storageBranch, err, manifest)
	}
	for _, want := range []string{"apiVersion: gitops.io/v1alpha1", "kind: Kustomization", "name: podinfo",
		"namespace: " + ns, "path: ./kustomize"} {
		if !strings.Contains(manifest, want) {
			t.Errorf("%s on %s lacks %q:\n%s", path, storageBranch, want, manifest)
		}
	}
	// The branch holds what a person writes; server-owned fields live elsewhere.
	for _, unwanted := range []string{"resourceVersion", "uid:", "managedFields", "status:"} {
		if strings.Contains(manifest, unwanted) {
			t.Errorf("%s on %s holds server-owned %q:\n%s", path, storageBranch, unwanted, manifest)
		}
	}

	author := strings.TrimSpace(storageGit(t, "log", "-1", "--format=%an", storageBranch, "--", path))
	if author != user {
		t.Errorf("the commit of %s is authored by %q, want the kubectl user %q", path, author, user)
	}
}

// pushClone is a clone of the storage repository, as someone who pushes
// manifests to it by hand would have.
type pushClone struct {
	t   *testing.T
	dir string
}

func cloneStorage(t *testing.T) *pushClone {
	t.Helper()
	dir := t.TempDir()
	git(t, "clone", "--quiet", "--branch", storageBranch, env.storage, dir)
	git(t, "-C", dir, "config", "user.name", "e2e pusher")
	git(t, "-C", dir, "config", "user.email", "pusher@example.com")
	return &pushClone{t: t, dir: dir}
}

// write writes a file of the work tree.
func (c *pushClone) write(path, content string) {
	c.t.Helper()
	full := filepath.Join(c.dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		c.t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
		c.t.Fatal(err)
	}
}

// commitAndPush writes files (path -> content), commits and pushes them.
func (c *pushClone) commitAndPush(message string, files map[string]string) {
	c.t.Helper()
	for path, content := range files {
		c.write(path, content)
	}
	git(c.t, "-C", c.dir, "add", "--all")
	git(c.t, "-C", c.dir, "commit", "--quiet", "-m", message)
	// The branch may have moved since the clone: the Git view lags an API
	// answer slightly, and the server writes too. A person would rebase.
	for range 3 {
		if _, err := tryGit(c.t, "-C", c.dir, "push", "--quiet", "origin", "HEAD:"+storageBranch); err == nil {
			return
		}
		git(c.t, "-C", c.dir, "pull", "--quiet", "--rebase", "origin", storageBranch)
	}
	git(c.t, "-C", c.dir, "push", "--quiet", "origin", "HEAD:"+storageBranch)
}

func gitRepositoryManifest(namespace, name, url string) string {
	return "apiVersion: gitops.io/v1alpha1\nkind: GitRepository\nmetadata:\n  name: " + name +
		"\n  namespace: " + namespace + "\nspec:\n  interval: 1m\n  url: " + url + "\n"
}

// waitForURL waits up to timeout until kubectl shows name with url and
// returns how long that took.
func waitForURL(t *testing.T, namespace, name, url string, timeout time.Duration) (time.Duration, error) {
	t.Helper()
	start := time.Now()
	err := eventually(timeout, func() error {
		out, err := tryKubectl(t, "", "get", "gitrepository", name, "-n", namespace, "-o", "jsonpath={.spec.url}")
		if err != nil {
			return &kubectlError{out}
		}
		if out != url {
			return &kubectlError{"spec.url is " + out}
		}
		return nil
	})
	return time.Since(start), err
}

type kubectlError struct{ output string }

func (e *kubectlError) Error() string { return e.output }

func TestGitPushBecomesAPIObjectAndWatchEvent(t *testing.T) {
	ns := newNamespace(t)
	// An object of the API first, so the watch prints a line once it runs.
	kubectl(t, "apply", "-n", ns, "-f", "testdata/gitrepository.yaml")
	watch := startKubectl(t, "get", "gitrepositories", "-n", ns, "-w", "-o", `jsonpath={.metadata.name} {.spec.url}{"\n"}`)
	if _, err := watch.waitForLine(regexp.MustCompile(`^podinfo `), 10*time.Second); err != nil {
		t.Fatalf("kubectl get -w: %v", err)
	}

	clone := cloneStorage(t)
	path := manifestPath(ns, "gitrepositories", "pushed")

	t.Run("new manifest", func(t *testing.T) {
		const url = "https://example.com/pushed.git"
		clone.commitAndPush("add pushed", map[string]string{path: gitRepositoryManifest(ns, "pushed", url)})
		took, err := waitForURL(t, ns, "pushed", url, 2*time.Second)
		if err != nil {
			t.Fatalf("kubectl get does not show the pushed GitRepository within 2s: %v", err)
		}
		t.Logf("kubectl get showed the pushed object after %v", took.Round(time.Millisecond))
		if _, err := watch.waitForLine(regexp.MustCompile(`^pushed `+regexp.QuoteMeta(url)+`$`), 2*time.Second); err != nil {
			t.Errorf("kubectl get -w did not see the pushed GitRepository: %v", err)
		}
	})

	t.Run("changed manifest", func(t *testing.T) {
		const url = "https://example.com/changed.git"
		clone.commitAndPush("change pushed", map[string]string{path: gitRepositoryManifest(ns, "pushed", url)})
		if _, err := waitForURL(t, ns, "pushed", url, 2*time.Second); err != nil {
			t.Fatalf("kubectl get does not show the pushed change within 2s: %v", err)
		}
		if _, err := watch.waitForLine(regexp.MustCompile(`^pushed `+regexp.QuoteMeta(url)+`$`), 2*time.Second); err != nil {
			t.Errorf("kubectl get -w did not see the pushed change: %v", err)
		}
	})
}

// Commits pulled from the storage remote, where no hook of the server runs,
// are checked on intake: a bad file is skipped and reported as an Event on
// the object it would be, or on the server's Namespace when it names none;
// the rest of the commit is served. (A push to the storage repository itself
// is refused instead: TestBadGitPushIsRefusedWithFileAndReason.)
func TestPushedInvalidManifestIsSkippedAndReported(t *testing.T) {
	ns := newNamespace(t)
	remote := useStorageRemote(t, ns)
	kubectl(t, "apply", "-n", ns, "-f", "testdata/gitrepository.yaml")
	remote.git("pull", "--quiet", "--no-rebase", "origin", "main")
	secret := manifestPath(ns, "secrets", "token")
	remote.commitAndPush(map[string]string{
		manifestPath(ns, "gitrepositories", "valid"):   gitRepositoryManifest(ns, "valid", "https://example.com/valid.git"),
		manifestPath(ns, "gitrepositories", "invalid"): gitRepositoryManifest(ns, "invalid", "ftp://example.com/invalid.git"),
		secret: "apiVersion: v1\nkind: Secret\nmetadata:\n  name: token\n  namespace: " + ns + "\nstringData:\n  token: do-not-show-me\n",
	})

	if _, err := waitForURL(t, ns, "valid", "https://example.com/valid.git", 30*time.Second); err != nil {
		t.Fatalf("the valid file of the commit is not served within 30s: %v", err)
	}
	if out, err := tryKubectl(t, "", "get", "gitrepository", "invalid", "-n", ns); err == nil {
		t.Errorf("the invalid pushed GitRepository is served:\n%s", out)
	}
	err := eventually(10*time.Second, func() error {
		out := kubectl(t, "get", "events", "-n", ns, "--field-selector=reason=PushRejected,involvedObject.name=invalid",
			"-o", "jsonpath={.items[*].message}")
		if !strings.Contains(out, "spec.url") {
			return &kubectlError{"no PushRejected event naming spec.url; events: " + out}
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
	// A Secret is no object of the server: the Event is on its Namespace.
	err = eventually(30*time.Second, func() error {
		out := kubectl(t, "get", "events", "-n", serverNamespace,
			"--field-selector=reason=PushRejected,involvedObject.kind=Namespace,involvedObject.name="+serverNamespace,
			"-o", "jsonpath={.items[*].message}")
		if !strings.Contains(out, secret+" in commit") || !strings.Contains(out, "a Secret does not belong in the storage repository") {
			return &kubectlError{"no PushRejected event naming " + secret + " and why; events: " + out}
		}
		if strings.Contains(out, "do-not-show-me") {
			return &kubectlError{"the event shows the Secret's contents: " + out}
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestRestartKeepsObjectsAndResourceVersions(t *testing.T) {
	ns := newNamespace(t)
	applyAll(t, ns)
	kubectl(t, "patch", "ks", "podinfo", "-n", ns, "--type=merge", "-p", `{"spec":{"path":"./restarted"}}`)
	listObjects := func() string {
		return kubectl(t, "get", "gitops", "-n", ns, "-o",
			`jsonpath={range .items[*]}{.kind}/{.metadata.name} rv={.metadata.resourceVersion} uid={.metadata.uid} generation={.metadata.generation}{"\n"}{end}`)
	}
	before := listObjects()
	if n := strings.Count(before, "\n"); n != len(allKinds) {
		t.Fatalf("listed %d objects before the restart, want %d:\n%s", n, len(allKinds), before)
	}
	var list struct {
		Metadata struct {
			ResourceVersion string `json:"resourceVersion"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal([]byte(kubectl(t, "get", "--raw", "/apis/gitops.io/v1alpha1/namespaces/"+ns+"/kustomizations")), &list); err != nil {
		t.Fatal(err)
	}
	listRV := list.Metadata.ResourceVersion
	if listRV == "" {
		t.Fatal("the list of kustomizations has no resourceVersion")
	}

	ctx, cancel := contextWithTimeout(t, 2*time.Minute)
	defer cancel()
	if err := env.restartServer(ctx); err != nil {
		t.Fatalf("restarting gitops-apiserver: %v", err)
	}

	if after := listObjects(); after != before {
		t.Errorf("objects changed across a restart.\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if path := kubectl(t, "get", "ks", "podinfo", "-n", ns, "-o", "jsonpath={.spec.path}"); path != "./restarted" {
		t.Errorf("after the restart spec.path = %q, want the patched ./restarted", path)
	}

	// A client that listed before the restart resumes its watch from that
	// list's resource version and misses nothing written since.
	kubectl(t, "patch", "ks", "podinfo", "-n", ns, "--type=merge", "-p", `{"spec":{"path":"./after-restart"}}`)
	watch := startKubectl(t, "get", "--raw",
		"/apis/gitops.io/v1alpha1/namespaces/"+ns+"/kustomizations?watch=1&resourceVersion="+listRV)
	if _, err := watch.waitForLine(regexp.MustCompile(`"type":"MODIFIED".*"path":"\./after-restart"`), 10*time.Second); err != nil {
		t.Errorf("a watch from the pre-restart resource version %s: %v", listRV, err)
	}
}

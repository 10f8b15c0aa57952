package e2e

import (
	"strings"
	"testing"
	"time"
)

// pushedKustomization is kustomizationManifest as a file of the storage
// branch, with its namespace and more metadata (YAML indented by two spaces).
func pushedKustomization(namespace, name, metadata string) string {
	return strings.Replace(kustomizationManifest(name, "./deploy", ""), "metadata:\n",
		"metadata:\n  namespace: "+namespace+"\n"+metadata, 1)
}

// tryPush commits files on top of the storage branch as it is now and
// pushes them to ref; it returns the commit and git's output.
func (c *pushClone) tryPush(ref string, files map[string]string) (commit, out string, err error) {
	c.t.Helper()
	git(c.t, "-C", c.dir, "fetch", "--quiet", "origin", storageBranch)
	git(c.t, "-C", c.dir, "reset", "--quiet", "--hard", "origin/"+storageBranch)
	for path, content := range files {
		c.write(path, content)
	}
	git(c.t, "-C", c.dir, "add", "--all")
	git(c.t, "-C", c.dir, "commit", "--quiet", "-m", "push "+ref)
	commit = strings.TrimSpace(git(c.t, "-C", c.dir, "rev-parse", "HEAD"))
	out, err = tryGit(c.t, "-C", c.dir, "push", "--force", "origin", "HEAD:"+ref)
	return commit, out, err
}

// A push to the storage repository that holds a file the server would not
// serve is refused by git push itself, naming each file and why, and leaves
// nothing in the repository; a good push is taken in as before.
func TestBadGitPushIsRefusedWithFileAndReason(t *testing.T) {
	ns := newNamespace(t)
	// The branch exists once the server has written something.
	kubectl(t, "apply", "-n", ns, "-f", "testdata/gitrepository.yaml")
	if err := eventually(5*time.Second, func() error {
		_, err := tryStorageGit(t, "rev-parse", "--verify", "refs/heads/"+storageBranch)
		return err
	}); err != nil {
		t.Fatalf("no storage branch after kubectl apply: %v", err)
	}
	clone := cloneStorage(t)
	good := manifestPath(ns, "kustomizations", "good")
	huge := "  annotations:\n    note: " + strings.Repeat("x", 2900*1024) + "\n"
	for _, c := range []struct {
		name  string
		ref   string
		files map[string]string
		// Each file named with its reason, as git shows the hook's lines.
		want map[string]string
	}{{
		name:  "over the size limit",
		ref:   storageBranch,
		files: map[string]string{manifestPath(ns, "kustomizations", "huge"): pushedKustomization(ns, "huge", huge)},
		want:  map[string]string{manifestPath(ns, "kustomizations", "huge"): "object too large"},
	}, {
		name: "failing validation, with a good file",
		ref:  storageBranch,
		files: map[string]string{
			manifestPath(ns, "kustomizations", "no-prune"): strings.Replace(pushedKustomization(ns, "no-prune", ""), "  prune: true\n", "", 1),
			good: pushedKustomization(ns, "good", ""),
		},
		want: map[string]string{manifestPath(ns, "kustomizations", "no-prune"): "spec.prune: Required value"},
	}, {
		name:  "name not matching the path",
		ref:   storageBranch,
		files: map[string]string{manifestPath(ns, "kustomizations", "file-name"): pushedKustomization(ns, "other-name", "")},
		want: map[string]string{manifestPath(ns, "kustomizations", "file-name"): `metadata.name "other-name" does not match ` +
			`the file name "file-name"`},
	}, {
		name: "a core Secret",
		ref:  storageBranch,
		files: map[string]string{manifestPath(ns, "secrets", "token"): "apiVersion: v1\nkind: Secret\nmetadata:\n  name: token\n" +
			"  namespace: " + ns + "\nstringData:\n  token: do-not-show-me\n"},
		want: map[string]string{manifestPath(ns, "secrets", "token"): "a Secret does not belong in the storage repository"},
	}, {
		name:  "the server's state ref",
		ref:   "refs/gitops/state",
		files: map[string]string{good: pushedKustomization(ns, "good", "")},
		want:  map[string]string{"refs/gitops/state": "this ref is gitops-apiserver's own"},
	}} {
		t.Run(c.name, func(t *testing.T) {
			refsBefore := storageGit(t, "for-each-ref")
			commit, out, err := clone.tryPush(c.ref, c.files)
			if err == nil {
				t.Fatalf("git push went through:\n%s", out)
			}
			if !strings.Contains(out, "pre-receive hook declined") {
				t.Errorf("git push failed, but not by the server's hook:\n%s", out)
			}
			for what, reason := range c.want {
				if !strings.Contains(out, "remote: "+what+": "+reason) {
					t.Errorf("git push does not say %q about %s:\n%.4000s", reason, what, out)
				}
			}
			if strings.Contains(out, "do-not-show-me") || strings.Contains(out, "xxxxxxxxxx") {
				t.Errorf("git push shows a file's contents:\n%.4000s", out)
			}
			if refs := storageGit(t, "for-each-ref"); refs != refsBefore {
				t.Errorf("the storage repository's refs moved:\nbefore:\n%s\nafter:\n%s", refsBefore, refs)
			}
			if _, err := tryStorageGit(t, "cat-file", "-e", commit); err == nil {
				t.Errorf("the refused commit %s is in the storage repository", commit)
			}
		})
	}
	if out, err := tryKubectl(t, "", "get", "kustomization", "good", "-n", ns); err == nil {
		t.Errorf("a file of a refused push is served:\n%s", out)
	}

	// The good file alone goes through, as before.
	if _, out, err := clone.tryPush(storageBranch, map[string]string{good: pushedKustomization(ns, "good", "")}); err != nil {
		t.Fatalf("a good push was refused: %v\n%s", err, out)
	}
	if err := eventually(30*time.Second, func() error {
		_, err := tryKubectl(t, "", "get", "kustomization", "good", "-n", ns)
		return err
	}); err != nil {
		t.Errorf("the good push is not served: %v", err)
	}
}

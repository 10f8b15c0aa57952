package prereceive_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gitops.io/apiserver/pkg/registry/gitstore"
	"gitops.io/apiserver/pkg/registry/gitstore/prereceive"
	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
)

// hookArg makes the test binary act as the hook: the repositories of these
// tests run it as their pre-receive hook, through revlog's installation.
const hookArg = "act-as-pre-receive-hook"

func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == hookArg {
		err := prereceive.Run(context.Background(), os.Stdin, os.Stderr, prereceive.Options{Branch: "main", Validate: validatePod})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// validatePod stands for a kind's validation: Pods need spec.nodeName, and
// no other resource is served.
func validatePod(key string, object []byte) error {
	if !strings.HasPrefix(key, "/pods/") {
		return fmt.Errorf("no resource is served for %s", key)
	}
	var pod struct {
		Spec struct {
			NodeName string `json:"nodeName"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(object, &pod); err != nil {
		return err
	}
	if pod.Spec.NodeName == "" {
		return errors.New("spec.nodeName: Required value")
	}
	return nil
}

func pod(namespace, name, node string) string {
	return fmt.Sprintf("apiVersion: v1\nkind: Pod\nmetadata:\n  name: %s\n  namespace: %s\nspec:\n  nodeName: %s\n", name, namespace, node)
}

// storage opens a storage repository with the hook installed and returns
// it and a clone of it.
func storage(t *testing.T) (dir, work string, l *revlog.Log) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	l, err = revlog.Open(revlog.Options{Path: dir, PollInterval: 50 * time.Millisecond, Validate: validatePod,
		PreReceiveHook: []string{exe, hookArg}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.Close)
	if _, err := l.Create(t.Context(), "/pods/apps/first", podJSON("first", "node-a", ""), gitstore.ServerAuthor); err != nil {
		t.Fatal(err)
	}
	l.Repo().Settle() // the Git view follows the write
	work = t.TempDir()
	git(t, "", "clone", "-q", dir, work)
	git(t, work, "config", "user.name", "pusher")
	git(t, work, "config", "user.email", "pusher@example.com")
	return dir, work, l
}

func podJSON(name, node, status string) []byte {
	obj := map[string]any{"apiVersion": "v1", "kind": "Pod",
		"metadata": map[string]any{"name": name, "namespace": "apps"},
		"spec":     map[string]any{"nodeName": node}}
	if status != "" {
		obj["status"] = map[string]any{"message": status}
	}
	data, _ := json.Marshal(obj)
	return data
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := tryGit(dir, args...)
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return out
}

func tryGit(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

// commit writes files (path -> content, "" removes) and commits them.
func commit(t *testing.T, work string, files map[string]string) string {
	t.Helper()
	for path, content := range files {
		full := filepath.Join(work, filepath.FromSlash(path))
		if content == "" {
			git(t, work, "rm", "-q", path)
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		git(t, work, "add", path)
	}
	git(t, work, "commit", "-q", "-m", "change")
	return git(t, work, "rev-parse", "HEAD")
}

// refused runs git push with args and expects the hook to refuse it; it
// returns git's output.
func refused(t *testing.T, dir, work string, args ...string) string {
	t.Helper()
	before := git(t, "", "--git-dir", dir, "for-each-ref")
	out, err := tryGit(work, append([]string{"push", "origin"}, args...)...)
	if err == nil {
		t.Fatalf("git push %v went through:\n%s", args, out)
	}
	if !strings.Contains(out, "pre-receive hook declined") {
		t.Errorf("git push %v failed, but not by the hook:\n%s", args, out)
	}
	if after := git(t, "", "--git-dir", dir, "for-each-ref"); after != before {
		t.Errorf("refs moved although the push was refused:\nbefore %s\nafter  %s", before, after)
	}
	return out
}

func TestPushIsRefusedNamingEachFileIntakeWouldSkip(t *testing.T) {
	dir, work, l := storage(t)
	head := commit(t, work, map[string]string{
		"apps/pods/good.yaml":       pod("apps", "good", "node-g"),
		"apps/pods/no-node.yaml":    pod("apps", "no-node", `""`),
		"apps/pods/wrong-name.yaml": pod("apps", "other-name", "node-w"),
		"apps/pods/broken.yaml":     "apiVersion: [this is not\n",
		"apps/pods/huge.yaml":       pod("apps", "huge", strings.Repeat("x", revlog.MaxObjectSize)),
		"apps/services/web.yaml":    "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: apps\n",
		"README.md":                 "not an object\n",
	})
	out := refused(t, dir, work, "HEAD:main")
	for path, reason := range map[string]string{
		"apps/pods/no-node.yaml":    "spec.nodeName: Required value",
		"apps/pods/wrong-name.yaml": `metadata.name "other-name" does not match the file name "wrong-name"`,
		"apps/pods/broken.yaml":     "not valid YAML",
		"apps/pods/huge.yaml":       "object too large",
		"apps/services/web.yaml":    "no resource is served for /services/apps/web",
	} {
		if !strings.Contains(out, "remote: "+path+": "+reason) {
			t.Errorf("the push's output does not say %q for %s:\n%s", reason, path, out)
		}
	}
	for _, fine := range []string{"good.yaml", "README.md"} {
		if strings.Contains(out, fine) {
			t.Errorf("the output names %s, which intake would take in or ignore:\n%s", fine, out)
		}
	}
	// Nothing of the push stays in the repository: git drops the quarantine.
	if _, err := tryGit("", "--git-dir", dir, "cat-file", "-e", head); err == nil {
		t.Errorf("the refused commit %s is in the storage repository", head)
	}
	if e, _ := l.Get("/pods/apps/good"); e != nil {
		t.Error("a file of the refused push is served")
	}
}

func TestGoodPushGoesThroughAndIsServed(t *testing.T) {
	_, work, l := storage(t)
	commit(t, work, map[string]string{
		"apps/pods/pushed.yaml": pod("apps", "pushed", "node-p"),
		"apps/pods/first.yaml":  pod("apps", "first", "node-b"),
		"README.md":             "anything goes here\n",
	})
	if out, err := tryGit(work, "push", "origin", "HEAD:main"); err != nil {
		t.Fatalf("a good push was refused: %v\n%s", err, out)
	}
	commit(t, work, map[string]string{"apps/pods/pushed.yaml": ""}) // removing is always allowed
	if out, err := tryGit(work, "push", "origin", "HEAD:main"); err != nil {
		t.Fatalf("a push removing a file was refused: %v\n%s", err, out)
	}
	deadline := time.Now().Add(30 * time.Second) // against hanging only
	for {
		first, _ := l.Get("/pods/apps/first")
		if first != nil && strings.Contains(string(first.Object), "node-b") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the pushed change of first was not taken in within 30s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The hook merges a pushed manifest with the state the server holds, as
// intake does: a status that is large already counts towards the limit.
func TestHookWeighsTheObjectWithItsState(t *testing.T) {
	dir, work, l := storage(t)
	status := strings.Repeat("s", revlog.MaxObjectSize*2/3)
	if _, err := l.Create(t.Context(), "/pods/apps/busy", podJSON("busy", "node-a", status), gitstore.ServerAuthor); err != nil {
		t.Fatal(err)
	}
	l.Repo().Settle()
	git(t, work, "pull", "-q", "origin", "main")
	annotated := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: %s\n  namespace: apps\n  annotations:\n    note: " +
		strings.Repeat("a", revlog.MaxObjectSize/2) + "\nspec:\n  nodeName: node-b\n"

	commit(t, work, map[string]string{"apps/pods/busy.yaml": fmt.Sprintf(annotated, "busy")})
	if out := refused(t, dir, work, "HEAD:main"); !strings.Contains(out, "apps/pods/busy.yaml: object too large") {
		t.Errorf("the push does not say busy.yaml is too large with its status:\n%s", out)
	}
	// The same manifest for an object without a status fits.
	git(t, work, "reset", "-q", "--hard", "origin/main")
	commit(t, work, map[string]string{"apps/pods/first.yaml": fmt.Sprintf(annotated, "first")})
	if out, err := tryGit(work, "push", "origin", "HEAD:main"); err != nil {
		t.Fatalf("a push within the limit was refused: %v\n%s", err, out)
	}
}

func TestPushToTheServersRefsOrDeletingTheBranchIsRefused(t *testing.T) {
	dir, work, _ := storage(t)
	commit(t, work, map[string]string{"apps/pods/x.yaml": pod("apps", "x", "n")})
	if out := refused(t, dir, work, "--force", "HEAD:"+revlog.StateRef); !strings.Contains(out, revlog.StateRef+": this ref is gitops-apiserver's own") {
		t.Errorf("the refusal does not say whose ref it is:\n%s", out)
	}
	if out := refused(t, dir, work, ":main"); !strings.Contains(out, "refs/heads/main: the storage branch cannot be deleted") {
		t.Errorf("the refusal does not say why the branch stays:\n%s", out)
	}
	// Other branches are the pusher's; intake never reads them.
	commit(t, work, map[string]string{"apps/pods/bad.yaml": pod("apps", "bad", `""`)})
	if out, err := tryGit(work, "push", "origin", "HEAD:refs/heads/draft"); err != nil {
		t.Errorf("a push to another branch was refused: %v\n%s", err, out)
	}
}

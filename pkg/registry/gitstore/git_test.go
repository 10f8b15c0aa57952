package gitstore_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/apiserver/pkg/apis/example"
	"k8s.io/apiserver/pkg/storage"
)

// git runs the git CLI in dir, as a person pushing to the storage repo would.
func git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=Pat Pusher", "GIT_AUTHOR_EMAIL=pat@example.com",
		"GIT_COMMITTER_NAME=Pat Pusher", "GIT_COMMITTER_EMAIL=pat@example.com", "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// clone checks out the storage repository's branch into a new work tree.
func clone(t testing.TB, repo string) string {
	work := filepath.Join(t.TempDir(), "work")
	git(t, filepath.Dir(work), "clone", "-q", repo, work) // HEAD names the storage branch
	return work
}

// pushFile writes a file in the work tree, commits and pushes it.
func pushFile(t testing.TB, work, path, content string) {
	t.Helper()
	full := filepath.Join(work, path)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	git(t, work, "add", "-A")
	git(t, work, "commit", "-q", "-m", "edit "+path)
	git(t, work, "push", "-q", "origin", "HEAD:main")
}

func podManifest(namespace, name, nodeName string) string {
	return "apiVersion: example.apiserver.k8s.io/v1\nkind: Pod\nmetadata:\n  name: " + name +
		"\n  namespace: " + namespace + "\nspec:\n  nodeName: " + nodeName + "\n"
}

// nextEvent waits for the next watch event, failing after a deadline.
func nextEvent(t testing.TB, w watch.Interface, within time.Duration) watch.Event {
	t.Helper()
	select {
	case ev, ok := <-w.ResultChan():
		if !ok {
			t.Fatal("watch closed")
		}
		return ev
	case <-time.After(within):
		t.Fatalf("no watch event within %v", within)
	}
	return watch.Event{}
}

func createPod(t testing.TB, ctx context.Context, s storage.Interface, namespace, name, nodeName string) *example.Pod {
	t.Helper()
	in := &example.Pod{}
	in.Name, in.Namespace, in.Spec.NodeName = name, namespace, nodeName
	in.UID = types.UID(namespace + "-" + name) // as the registry would set it
	out := &example.Pod{}
	if err := s.Create(ctx, "/pods/"+namespace+"/"+name, in, out, 0); err != nil {
		t.Fatalf("creating %s/%s: %v", namespace, name, err)
	}
	return out
}

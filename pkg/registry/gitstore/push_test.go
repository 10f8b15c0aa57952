package gitstore_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/apiserver/pkg/apis/example"
	"k8s.io/apiserver/pkg/storage"
	"k8s.io/component-base/metrics/legacyregistry"

	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
)

func TestExternalPushBecomesWatchEvent(t *testing.T) {
	dir := t.TempDir()
	l := openLog(t, dir)
	defer l.Close()
	s := podStore(t, l)
	ctx := t.Context()
	first := createPod(t, ctx, s, "apps", "first", "node-a")

	w, err := s.Watch(ctx, "/pods/", storage.ListOptions{ResourceVersion: first.ResourceVersion, Predicate: storage.Everything, Recursive: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()

	l.Repo().Settle() // the Git view follows the API answer
	work := clone(t, dir)
	pushFile(t, work, "apps/pods/pushed.yaml", podManifest("apps", "pushed", "node-b"))
	ev := nextEvent(t, w, time.Second)
	pod := ev.Object.(*example.Pod)
	if ev.Type != watch.Added || pod.Name != "pushed" || pod.Spec.NodeName != "node-b" {
		t.Fatalf("got %s %s/%s on %q, want ADDED apps/pushed on node-b", ev.Type, pod.Namespace, pod.Name, pod.Spec.NodeName)
	}
	if pod.UID == "" || pod.Generation != 1 || pod.CreationTimestamp.IsZero() {
		t.Errorf("pushed object lacks server-owned metadata: uid=%q generation=%d created=%v", pod.UID, pod.Generation, pod.CreationTimestamp)
	}

	pushFile(t, work, "apps/pods/first.yaml", podManifest("apps", "first", "node-c"))
	ev = nextEvent(t, w, time.Second)
	pod = ev.Object.(*example.Pod)
	if ev.Type != watch.Modified || pod.Name != "first" || pod.Spec.NodeName != "node-c" || pod.Generation != first.Generation+1 {
		t.Fatalf("got %s %s on %q generation %d, want MODIFIED first on node-c generation %d", ev.Type, pod.Name, pod.Spec.NodeName, pod.Generation, first.Generation+1)
	}
	if pod.UID != first.UID {
		t.Errorf("pushed edit changed uid from %s to %s", first.UID, pod.UID)
	}

	git(t, work, "rm", "-q", "apps/pods/first.yaml")
	git(t, work, "commit", "-q", "-m", "remove first")
	git(t, work, "push", "-q", "origin", "HEAD:main")
	ev = nextEvent(t, w, time.Second)
	if ev.Type != watch.Deleted || ev.Object.(*example.Pod).Name != "first" {
		t.Fatalf("got %s %s, want DELETED first", ev.Type, ev.Object.(*example.Pod).Name)
	}
}

func TestBadPushedFileIsSkippedAndReported(t *testing.T) {
	dir := t.TempDir()
	var mu sync.Mutex
	var reported []revlog.Rejection
	l := openLog(t, dir, func(o *revlog.Options) {
		o.OnRejected = func(r revlog.Rejection) { mu.Lock(); reported = append(reported, r); mu.Unlock() }
	})
	defer l.Close()
	s := podStore(t, l)
	ctx := t.Context()
	kept := createPod(t, ctx, s, "apps", "kept", "node-a")

	l.Repo().Settle() // the Git view follows the API answer
	work := clone(t, dir)
	pushFile(t, work, "apps/pods/wrong-name.yaml", podManifest("apps", "other-name", "x"))
	pushFile(t, work, "apps/pods/kept.yaml", "apiVersion: [this is not\n")
	pushFile(t, work, "apps/pods/good.yaml", podManifest("apps", "good", "node-g"))

	deadline := time.Now().Add(2 * time.Second)
	got := &example.Pod{}
	for s.Get(ctx, "/pods/apps/good", storage.GetOptions{}, got) != nil {
		if time.Now().After(deadline) {
			t.Fatal("the valid pushed file was not served within 2s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := s.Get(ctx, "/pods/apps/wrong-name", storage.GetOptions{}, &example.Pod{}); err == nil {
		t.Error("a file whose metadata.name does not match its path was served")
	}
	stillKept := &example.Pod{}
	if err := s.Get(ctx, "/pods/apps/kept", storage.GetOptions{}, stillKept); err != nil {
		t.Fatalf("object overwritten by a broken file is gone: %v", err)
	}
	if stillKept.Spec.NodeName != "node-a" || stillKept.ResourceVersion != kept.ResourceVersion {
		t.Errorf("object overwritten by a broken file changed: node %q rv %s", stillKept.Spec.NodeName, stillKept.ResourceVersion)
	}
	mu.Lock()
	defer mu.Unlock()
	rejected := map[string]bool{}
	for _, r := range reported {
		rejected[r.Path] = true
	}
	if !rejected["apps/pods/wrong-name.yaml"] || !rejected["apps/pods/kept.yaml"] || len(rejected) != 2 {
		t.Errorf("rejections = %v, want the two bad files", rejected)
	}
	if len(reported) != 2 {
		t.Errorf("OnRejected was told of %d files, want 2", len(reported))
	}
	if n := rejectedFilesMetric(t); n < 2 {
		t.Errorf("gitstore_rejected_files_total = %v, want at least 2", n)
	}
}

func rejectedFilesMetric(t *testing.T) float64 {
	families, err := legacyregistry.DefaultGatherer.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() == "gitstore_rejected_files_total" {
			return f.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatal("gitstore_rejected_files_total is not registered")
	return 0
}

func TestForcePushKeepsRevisionsGrowing(t *testing.T) {
	dir := t.TempDir()
	l := openLog(t, dir)
	defer l.Close()
	s := podStore(t, l)
	ctx := t.Context()
	createPod(t, ctx, s, "apps", "one", "n")
	createPod(t, ctx, s, "apps", "two", "n")
	before := l.Revision()

	w, err := s.Watch(ctx, "/pods/", storage.ListOptions{ResourceVersion: "", Predicate: storage.Everything, Recursive: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	nextEvent(t, w, time.Second) // initial ADDED one
	nextEvent(t, w, time.Second) // initial ADDED two

	l.Repo().Settle() // the Git view follows the API answer
	work := clone(t, dir)
	git(t, work, "reset", "-q", "--hard", "HEAD~1") // drop "create two"
	git(t, work, "push", "-q", "--force", "origin", "HEAD:main")

	deadline := time.Now().Add(2 * time.Second)
	for l.Revision() == before {
		if time.Now().After(deadline) {
			t.Fatal("force push not taken in within 2s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if l.Revision() <= before {
		t.Fatalf("revision went from %d to %d", before, l.Revision())
	}
	if err := s.Get(ctx, "/pods/apps/two", storage.GetOptions{}, &example.Pod{}); err == nil {
		t.Error("object removed by the force push is still served")
	}
	// The watcher may see the deletion first; it must then be told to relist.
	for {
		ev := nextEvent(t, w, 2*time.Second)
		if ev.Type == watch.Error {
			break
		}
		if ev.Type != watch.Deleted {
			t.Fatalf("got %s before the relist error", ev.Type)
		}
	}
}

// A git push holds the branch's lock file while it updates the branch; a
// write arriving then waits for it instead of failing.
func TestWriteWaitsForAGitPushHoldingTheBranchLock(t *testing.T) {
	dir := t.TempDir()
	l := openLog(t, dir)
	defer l.Close()
	s := podStore(t, l)
	ctx := t.Context()
	createPod(t, ctx, s, "apps", "first", "n")
	l.Repo().Settle() // the Git view follows the API answer

	lock := filepath.Join(dir, "refs", "heads", "main.lock")
	if err := os.WriteFile(lock, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(100 * time.Millisecond)
		os.Remove(lock)
	}()
	done := make(chan error, 2)
	go func() {
		in := &example.Pod{}
		in.Name, in.Namespace = "first", "apps"
		done <- s.Create(ctx, "/pods/apps/first", in, &example.Pod{}, 0) // exists: refused at once
	}()
	go func() {
		in := &example.Pod{}
		in.Name, in.Namespace = "second", "apps"
		done <- s.Create(ctx, "/pods/apps/second", in, &example.Pod{}, 0)
	}()
	var refused, created int
	for range 2 {
		select {
		case err := <-done:
			if storage.IsExist(err) {
				refused++
			} else if err == nil {
				created++
			} else {
				t.Errorf("unexpected error: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("a write did not finish after the lock was released")
		}
	}
	if refused != 1 || created != 1 {
		t.Errorf("%d refused and %d created, want 1 and 1", refused, created)
	}
	if err := s.Get(ctx, "/pods/apps/second", storage.GetOptions{}, &example.Pod{}); err != nil {
		t.Errorf("the write made while the lock was held is missing: %v", err)
	}
}

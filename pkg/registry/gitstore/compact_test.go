package gitstore_test

import (
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/apiserver/pkg/apis/example"
	"k8s.io/apiserver/pkg/storage"

	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
)

func TestStateHistoryIsCompacted(t *testing.T) {
	dir := t.TempDir()
	keep := func(o *revlog.Options) { o.HistoryCommits = 4 }
	l := openLog(t, dir, keep)
	s := podStore(t, l)
	ctx := t.Context()
	createPod(t, ctx, s, "apps", "web", "n")
	for range 20 {
		update(t, s, "/pods/apps/web", func(p *example.Pod) { p.Status.Phase += "x" })
	}
	current := l.Revision()
	l.Close()

	subjects := strings.Split(git(t, dir, "log", "--first-parent", "--format=%s", revlog.StateRef), "\n")
	states := 0
	for _, s := range subjects {
		if strings.HasPrefix(s, "state ") {
			states++
		}
	}
	if states > 2*4+1 {
		t.Errorf("state ref holds %d commits after 21 writes, want at most %d", states, 2*4+1)
	}
	if branch := git(t, dir, "rev-list", "--count", "main"); branch != "1" {
		t.Errorf("branch has %s commits; status writes must not reach it", branch)
	}

	l = openLog(t, dir, keep)
	defer l.Close()
	s = podStore(t, l)
	if s.CompactRevision() == 0 || s.CompactRevision() >= int64(current-2) {
		t.Errorf("after restart CompactRevision = %d, want the compacted root's revision", s.CompactRevision())
	}
	w, err := s.Watch(ctx, "/pods/", storage.ListOptions{ResourceVersion: itoa(current - 2), Predicate: storage.Everything, Recursive: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	for i := range 2 {
		if ev := nextEvent(t, w, time.Second); ev.Type != watch.Modified {
			t.Fatalf("replayed event %d is %s, want MODIFIED", i, ev.Type)
		}
	}
	old, err := s.Watch(ctx, "/pods/", storage.ListOptions{ResourceVersion: "2", Predicate: storage.Everything, Recursive: true})
	if err != nil {
		t.Fatal(err)
	}
	defer old.Stop()
	if ev := nextEvent(t, old, time.Second); ev.Type != watch.Error {
		t.Fatalf("watch from a compacted revision got %s, want an error (410)", ev.Type)
	}
}

package gitstore_test

import (
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/apiserver/pkg/apis/example"
	"k8s.io/apiserver/pkg/storage"
)

func TestRestartKeepsObjectsRevisionsAndHistory(t *testing.T) {
	dir := t.TempDir()
	l := openLog(t, dir)
	s := podStore(t, l)
	ctx := t.Context()
	createPod(t, ctx, s, "apps", "a", "n1")
	createPod(t, ctx, s, "apps", "b", "n1")
	beforeChanges := l.Revision()
	createPod(t, ctx, s, "other", "c", "n1")
	updated := &example.Pod{}
	err := s.GuaranteedUpdate(ctx, "/pods/apps/a", updated, false, nil, func(in runtime.Object, _ storage.ResponseMeta) (runtime.Object, *uint64, error) {
		p := in.(*example.Pod)
		p.Spec.NodeName = "n2"
		p.Status.Phase = "Running"
		return p, nil, nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "/pods/apps/b", &example.Pod{}, nil, storage.ValidateAllObjectFunc, nil, storage.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	want := &example.PodList{}
	if err := s.GetList(ctx, "/pods/", storage.ListOptions{Predicate: storage.Everything, Recursive: true}, want); err != nil {
		t.Fatal(err)
	}
	l.Close()

	l = openLog(t, dir)
	defer l.Close()
	s = podStore(t, l)
	got := &example.PodList{}
	if err := s.GetList(ctx, "/pods/", storage.ListOptions{Predicate: storage.Everything, Recursive: true}, got); err != nil {
		t.Fatal(err)
	}
	if got.ResourceVersion != want.ResourceVersion || len(got.Items) != len(want.Items) {
		t.Fatalf("after restart: rv %s with %d objects, want rv %s with %d", got.ResourceVersion, len(got.Items), want.ResourceVersion, len(want.Items))
	}
	for i := range want.Items {
		w, g := want.Items[i], got.Items[i]
		if g.Name != w.Name || g.ResourceVersion != w.ResourceVersion || g.UID != w.UID || g.Spec.NodeName != w.Spec.NodeName || g.Status.Phase != w.Status.Phase {
			t.Errorf("after restart %s/%s rv %s node %q phase %q uid %s; before %s/%s rv %s node %q phase %q uid %s",
				g.Namespace, g.Name, g.ResourceVersion, g.Spec.NodeName, g.Status.Phase, g.UID,
				w.Namespace, w.Name, w.ResourceVersion, w.Spec.NodeName, w.Status.Phase, w.UID)
		}
	}

	// A watch from a revision before the restart replays from Git history.
	w, err := s.Watch(ctx, "/pods/apps", storage.ListOptions{ResourceVersion: itoa(beforeChanges), Predicate: storage.Everything, Recursive: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	ev := nextEvent(t, w, time.Second)
	if p := ev.Object.(*example.Pod); ev.Type != watch.Modified || p.Name != "a" || p.Spec.NodeName != "n2" {
		t.Fatalf("first replayed event %s %s on %q, want MODIFIED a on n2", ev.Type, p.Name, p.Spec.NodeName)
	}
	ev = nextEvent(t, w, time.Second)
	if p := ev.Object.(*example.Pod); ev.Type != watch.Deleted || p.Name != "b" || p.ResourceVersion != want.ResourceVersion {
		t.Fatalf("second replayed event %s %s rv %s, want DELETED b at rv %s", ev.Type, p.Name, p.ResourceVersion, want.ResourceVersion)
	}

	// An exact list at that revision also comes from history.
	old := &example.PodList{}
	err = s.GetList(ctx, "/pods/", storage.ListOptions{ResourceVersion: itoa(beforeChanges), ResourceVersionMatch: "Exact", Predicate: storage.Everything, Recursive: true}, old)
	if err != nil {
		t.Fatal(err)
	}
	if len(old.Items) != 2 || old.Items[0].Name != "a" || old.Items[0].Spec.NodeName != "n1" || old.Items[1].Name != "b" {
		t.Errorf("list at revision %d = %v, want a on n1 and b", beforeChanges, old.Items)
	}
}

package gitstore_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/apis/example"
	"k8s.io/apiserver/pkg/storage"

	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
)

// A pushed file is held to the size limit of API writes, counting the state
// the server keeps for it (its status, say), as the object served would be.
func TestPushedFileOverTheSizeLimitIsSkippedAndReported(t *testing.T) {
	dir := t.TempDir()
	var mu sync.Mutex
	reported := map[string]error{}
	l := openLog(t, dir, func(o *revlog.Options) {
		o.OnRejected = func(r revlog.Rejection) { mu.Lock(); reported[r.Path] = r.Err; mu.Unlock() }
	})
	defer l.Close()
	s := podStore(t, l)
	ctx := t.Context()
	createPod(t, ctx, s, "apps", "busy", "node-a")
	err := s.GuaranteedUpdate(ctx, "/pods/apps/busy", &example.Pod{}, false, nil,
		storage.SimpleUpdate(func(in runtime.Object) (runtime.Object, error) {
			p := in.(*example.Pod)
			p.Status.Message = strings.Repeat("s", revlog.MaxObjectSize*2/3)
			return p, nil
		}), nil)
	if err != nil {
		t.Fatal(err)
	}
	busy := &example.Pod{}
	if err := s.Get(ctx, "/pods/apps/busy", storage.GetOptions{}, busy); err != nil {
		t.Fatal(err)
	}

	l.Repo().Settle() // the Git view follows the API answer
	work := clone(t, dir)
	annotated := func(name string) string {
		return strings.Replace(podManifest("apps", name, "node-b"), "metadata:\n",
			"metadata:\n  annotations:\n    note: "+strings.Repeat("a", revlog.MaxObjectSize/2)+"\n", 1)
	}
	pushFile(t, work, "apps/pods/huge.yaml", podManifest("apps", "huge", strings.Repeat("x", revlog.MaxObjectSize)))
	pushFile(t, work, "apps/pods/busy.yaml", annotated("busy"))   // too large with its status
	pushFile(t, work, "apps/pods/small.yaml", annotated("small")) // the same manifest fits a new object

	// A bound against hanging, not a timing requirement: -race parses slowly.
	deadline := time.Now().Add(30 * time.Second)
	for s.Get(ctx, "/pods/apps/small", storage.GetOptions{}, &example.Pod{}) != nil {
		if time.Now().After(deadline) {
			t.Fatal("the pushed file within the limit was not served within 30s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := s.Get(ctx, "/pods/apps/huge", storage.GetOptions{}, &example.Pod{}); err == nil {
		t.Error("a pushed file over the size limit is served")
	}
	got := &example.Pod{}
	if err := s.Get(ctx, "/pods/apps/busy", storage.GetOptions{}, got); err != nil || got.ResourceVersion != busy.ResourceVersion || len(got.Annotations) > 0 {
		t.Errorf("busy changed to rv %s with %d annotations (%v), want its last good version %s", got.ResourceVersion, len(got.Annotations), err, busy.ResourceVersion)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, path := range []string{"apps/pods/huge.yaml", "apps/pods/busy.yaml"} {
		if err := reported[path]; !errors.Is(err, revlog.ErrTooLarge) {
			t.Errorf("%s was reported with %v, want %v", path, err, revlog.ErrTooLarge)
		}
	}
	if len(reported) != 2 {
		t.Errorf("reported %v, want the two files over the limit", reported)
	}
}

package gitstore_test

import (
	"path/filepath"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apiserver/pkg/apis/example"
	"k8s.io/apiserver/pkg/storage"
	storeerr "k8s.io/apiserver/pkg/storage/errors"

	"gitops.io/apiserver/pkg/registry/gitstore/gitrepo"
	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
)

// mirrored opens a store mirrored to a new bare repository, pulling only
// when asked, so each test decides when the remote is looked at.
func mirrored(t *testing.T) (local, remote string, l *revlog.Log) {
	local = t.TempDir()
	remote = filepath.Join(t.TempDir(), "remote.git")
	git(t, filepath.Dir(remote), "init", "-q", "--bare", "--initial-branch=main", remote)
	l = openLog(t, local, func(o *revlog.Options) {
		o.Mirror = &revlog.Mirror{Remote: gitrepo.Remote{URL: remote}, PullInterval: time.Hour}
	})
	t.Cleanup(l.Close)
	return local, remote, l
}

func TestMirrorReceivesEveryAPIWrite(t *testing.T) {
	_, remote, l := mirrored(t)
	s := podStore(t, l)
	createPod(t, t.Context(), s, "apps", "web", "node-1")
	if got := git(t, remote, "show", "main:apps/pods/web.yaml"); got != podManifest("apps", "web", "node-1")[:len(got)] {
		t.Errorf("remote holds %q", got)
	}
}

func TestMirrorTakesInOutsideCommitAndRefusesConflictingWrite(t *testing.T) {
	_, remote, l := mirrored(t)
	s := podStore(t, l)
	ctx := t.Context()
	web := createPod(t, ctx, s, "apps", "web", "node-1")

	// Someone changes web and adds db on the remote, unseen by the store.
	work := clone(t, remote)
	pushFile(t, work, "apps/pods/web.yaml", podManifest("apps", "web", "node-remote"))
	pushFile(t, work, "apps/pods/db.yaml", podManifest("apps", "db", "node-db"))

	// A write that does not touch those files goes through: the store pulls,
	// takes the remote's commits in, and pushes on top of them.
	createPod(t, ctx, s, "apps", "cache", "node-c")
	for _, name := range []string{"db", "cache"} {
		if err := s.Get(ctx, "/pods/apps/"+name, storage.GetOptions{}, &example.Pod{}); err != nil {
			t.Errorf("%s not served after the write that pulled: %v", name, err)
		}
	}
	if got := git(t, remote, "ls-tree", "--name-only", "main", "apps/pods/"); got != "apps/pods/cache.yaml\napps/pods/db.yaml\napps/pods/web.yaml" {
		t.Errorf("remote branch holds %q", got)
	}

	// A write based on web as it was before the remote changed it conflicts.
	stale := web.ResourceVersion
	err := s.GuaranteedUpdate(ctx, "/pods/apps/web", &example.Pod{}, false, &storage.Preconditions{ResourceVersion: &stale},
		func(in runtime.Object, _ storage.ResponseMeta) (runtime.Object, *uint64, error) {
			p := in.(*example.Pod)
			p.Spec.NodeName = "node-api"
			return p, nil, nil
		}, nil)
	// The registry turns the storage error into the API's answer.
	if err := storeerr.InterpretUpdateError(err, schema.GroupResource{Resource: "pods"}, "web"); !apierrors.IsConflict(err) {
		t.Fatalf("stale write after a remote change: err = %v, want 409 Conflict", err)
	}
	got := &example.Pod{}
	if err := s.Get(ctx, "/pods/apps/web", storage.GetOptions{}, got); err != nil || got.Spec.NodeName != "node-remote" {
		t.Errorf("web = %q (%v), want the remote's node-remote", got.Spec.NodeName, err)
	}
}

func TestMirrorMergesDivergedBranches(t *testing.T) {
	local, remote, l := mirrored(t)
	s := podStore(t, l)
	ctx := t.Context()
	createPod(t, ctx, s, "apps", "web", "node-1")

	pushFile(t, clone(t, remote), "apps/pods/from-remote.yaml", podManifest("apps", "from-remote", "r"))
	l.Repo().Settle() // the Git view follows the API answer
	pushFile(t, clone(t, local), "apps/pods/from-local.yaml", podManifest("apps", "from-local", "l"))
	deadline := time.Now().Add(2 * time.Second)
	for s.Get(ctx, "/pods/apps/from-local", storage.GetOptions{}, &example.Pod{}) != nil {
		if time.Now().After(deadline) {
			t.Fatal("local push not taken in")
		}
		time.Sleep(20 * time.Millisecond)
	}

	if err := l.Pull(ctx); err != nil {
		t.Fatalf("pull: %v", err)
	}
	for _, name := range []string{"web", "from-remote", "from-local"} {
		if err := s.Get(ctx, "/pods/apps/"+name, storage.GetOptions{}, &example.Pod{}); err != nil {
			t.Errorf("%s not served after the merge: %v", name, err)
		}
	}
	if parents := git(t, remote, "log", "-1", "--format=%p", "main"); len(parents) < 2*7+1 {
		t.Errorf("remote's head has parents %q, want a merge commit", parents)
	}
	l.Repo().Settle()
	if git(t, remote, "rev-parse", "main") != git(t, local, "rev-parse", "main") {
		t.Error("local and remote branches differ after the pull")
	}
}

func TestMirrorPullsOnItsInterval(t *testing.T) {
	remote := filepath.Join(t.TempDir(), "remote.git")
	git(t, filepath.Dir(remote), "init", "-q", "--bare", "--initial-branch=main", remote)
	l := openLog(t, t.TempDir(), func(o *revlog.Options) {
		o.Mirror = &revlog.Mirror{Remote: gitrepo.Remote{URL: remote}, PullInterval: 100 * time.Millisecond}
	})
	defer l.Close()
	s := podStore(t, l)
	createPod(t, t.Context(), s, "apps", "web", "node-1")

	pushFile(t, clone(t, remote), "apps/pods/outside.yaml", podManifest("apps", "outside", "o"))
	deadline := time.Now().Add(2 * time.Second)
	for s.Get(t.Context(), "/pods/apps/outside", storage.GetOptions{}, &example.Pod{}) != nil {
		if time.Now().After(deadline) {
			t.Fatal("a commit pushed to the remote was not served within 2s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

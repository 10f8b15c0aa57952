package gitstore_test

import (
	"strconv"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/apis/example"
	"k8s.io/apiserver/pkg/authentication/user"
	"k8s.io/apiserver/pkg/endpoints/request"
	"k8s.io/apiserver/pkg/storage"

	"gitops.io/apiserver/pkg/registry/gitstore/layout"
	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
)

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

func update(t *testing.T, s storage.Interface, key string, mutate func(*example.Pod)) *example.Pod {
	t.Helper()
	out := &example.Pod{}
	err := s.GuaranteedUpdate(t.Context(), key, out, false, nil, func(in runtime.Object, _ storage.ResponseMeta) (runtime.Object, *uint64, error) {
		p := in.(*example.Pod)
		mutate(p)
		return p, nil, nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCommitAuthorIsRequestUser(t *testing.T) {
	dir := t.TempDir()
	l := openLog(t, dir)
	defer l.Close()
	s := podStore(t, l)
	ctx := request.WithUser(t.Context(), &user.DefaultInfo{Name: "alice"})
	createPod(t, ctx, s, "apps", "web", "n")
	l.Repo().Settle() // the Git view follows the API answer

	if author := git(t, dir, "log", "-1", "--format=%an <%ae>", "main"); author != "alice <alice@users.gitops.io>" {
		t.Errorf("branch commit author = %q, want alice", author)
	}
	if subject := git(t, dir, "log", "-1", "--format=%s", "main"); subject != "create pods apps/web" {
		t.Errorf("branch commit subject = %q, want it to name the verb and object", subject)
	}
	if author := git(t, dir, "log", "-1", "--format=%an", revlog.StateRef); author != "alice" {
		t.Errorf("state commit author = %q, want alice", author)
	}
}

func TestManifestOnBranchHoldsOnlyWhatAPersonWrites(t *testing.T) {
	dir := t.TempDir()
	l := openLog(t, dir)
	defer l.Close()
	s := podStore(t, l)
	ctx := t.Context()
	createPod(t, ctx, s, "apps", "web", "node-1")
	update(t, s, "/pods/apps/web", func(p *example.Pod) {
		p.Labels = map[string]string{"app": "web"}
		p.Status.Phase = "Running"
	})
	l.Repo().Settle() // the Git view follows the API answer

	manifest := git(t, dir, "show", "main:apps/pods/web.yaml")
	want := "apiVersion: example.apiserver.k8s.io/v1\nkind: Pod\nmetadata:\n  labels:\n    app: web\n  name: web\n  namespace: apps\nspec:\n  nodeName: node-1"
	if manifest != want {
		t.Errorf("manifest on the branch:\n%s\nwant:\n%s", manifest, want)
	}
	statePath, _ := layout.StatePath("/pods/apps/web")
	state := git(t, dir, "show", revlog.StateRef+":"+statePath)
	if !strings.Contains(state, `"phase":"Running"`) || !strings.Contains(state, `"uid"`) {
		t.Errorf("state file lacks status or uid: %s", state)
	}
}

func TestNoOpUpdateMakesNoCommit(t *testing.T) {
	dir := t.TempDir()
	l := openLog(t, dir)
	defer l.Close()
	s := podStore(t, l)
	created := createPod(t, t.Context(), s, "apps", "web", "n")
	l.Repo().Settle() // the Git view follows the API answer
	mainBefore := git(t, dir, "rev-parse", "main")
	stateBefore := git(t, dir, "rev-parse", revlog.StateRef)

	same := update(t, s, "/pods/apps/web", func(p *example.Pod) {})
	l.Repo().Settle()

	if same.ResourceVersion != created.ResourceVersion {
		t.Errorf("no-op update moved resourceVersion %s -> %s", created.ResourceVersion, same.ResourceVersion)
	}
	if git(t, dir, "rev-parse", "main") != mainBefore || git(t, dir, "rev-parse", revlog.StateRef) != stateBefore {
		t.Error("no-op update made a commit")
	}
}

func TestStatusOnlyWriteTouchesOnlyStateRef(t *testing.T) {
	dir := t.TempDir()
	l := openLog(t, dir)
	defer l.Close()
	s := podStore(t, l)
	created := createPod(t, t.Context(), s, "apps", "web", "n")
	l.Repo().Settle() // the Git view follows the API answer
	mainBefore := git(t, dir, "rev-parse", "main")
	stateBefore := git(t, dir, "rev-parse", revlog.StateRef)

	updated := update(t, s, "/pods/apps/web", func(p *example.Pod) { p.Status.Phase = "Running" })
	l.Repo().Settle()

	if updated.ResourceVersion == created.ResourceVersion {
		t.Error("status write kept the old resourceVersion")
	}
	if git(t, dir, "rev-parse", "main") != mainBefore {
		t.Error("status write made a commit on the desired-state branch")
	}
	if git(t, dir, "rev-parse", revlog.StateRef) == stateBefore {
		t.Error("status write made no state commit")
	}
}

func TestObjectOverSizeLimitIsRefused(t *testing.T) {
	ctx, s, _ := setup(t)
	in := &example.Pod{}
	in.Name, in.Namespace = "huge", "apps"
	in.Annotations = map[string]string{"blob": strings.Repeat("x", revlog.MaxObjectSize)}
	err := s.Create(ctx, "/pods/apps/huge", in, &example.Pod{}, 0)
	if err == nil || !strings.Contains(err.Error(), "too large") {
		t.Fatalf("creating an object over the limit: err = %v, want a too-large error", err)
	}
	if err := s.Get(ctx, "/pods/apps/huge", storage.GetOptions{}, &example.Pod{}); err == nil {
		t.Error("the refused object was stored")
	}
}

package revlog_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gitops.io/apiserver/pkg/registry/gitstore/gitrepo"
	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
)

var pushOwner = json.RawMessage(`{"username":"gitops:push","groups":["gitops:pushers"]}`)

// pushDoor is a way pushed commits reach the log: git push to its
// repository, or to the remote it mirrors.
type pushDoor struct {
	name string
	// open opens a log with opts; clone then gives a work tree to commit in
	// and push returns key's entry once the log took in what work pushed.
	open func(t *testing.T, opts revlog.Options) (l *revlog.Log, clone func() string,
		push func(work, key string, after uint64) *revlog.Entry)
}

var pushDoors = []pushDoor{
	{"git push to the repository", func(t *testing.T, opts revlog.Options) (*revlog.Log, func() string, func(string, string, uint64) *revlog.Entry) {
		opts.Path = t.TempDir()
		l := openTestLog(t, opts)
		cloneRepo := func() string {
			l.Repo().Settle() // the Git view follows the API answer
			return clone(t, opts.Path)
		}
		return l, cloneRepo, func(work, key string, after uint64) *revlog.Entry {
			push(t, work)
			return waitForRevision(t, l, key, after)
		}
	}},
	{"commits pulled from the mirror", func(t *testing.T, opts revlog.Options) (*revlog.Log, func() string, func(string, string, uint64) *revlog.Entry) {
		remote := filepath.Join(t.TempDir(), "remote.git")
		gitIn(t, filepath.Dir(remote), "init", "-q", "--bare", "--initial-branch=main", remote)
		opts.Path = t.TempDir()
		opts.Mirror = &revlog.Mirror{Remote: gitrepo.Remote{URL: remote}, PullInterval: time.Hour}
		l := openTestLog(t, opts)
		// API writes reach the remote before they are acknowledged.
		return l, func() string { return clone(t, remote) }, func(work, key string, _ uint64) *revlog.Entry {
			push(t, work)
			if err := l.Pull(t.Context()); err != nil {
				t.Fatal(err)
			}
			e, _ := l.Get(key)
			return e
		}
	}},
}

func openTestLog(t *testing.T, opts revlog.Options) *revlog.Log {
	t.Helper()
	opts.PollInterval = 20 * time.Millisecond
	l, err := revlog.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.Close)
	return l
}

// ownerName is status.owner.username of an entry, "" without an owner.
func ownerName(t *testing.T, e *revlog.Entry) string {
	t.Helper()
	if e == nil {
		t.Fatal("no such object")
	}
	var obj struct {
		Status struct {
			Owner *struct {
				Username string   `json:"username"`
				Groups   []string `json:"groups"`
			} `json:"owner"`
		} `json:"status"`
	}
	if err := json.Unmarshal(e.Object, &obj); err != nil {
		t.Fatal(err)
	}
	if obj.Status.Owner == nil {
		return ""
	}
	return obj.Status.Owner.Username
}

// ownedThing is thing v1 as the API stores it when alice creates it.
func ownedThing() []byte {
	return []byte(`{"apiVersion":"test/v1","kind":"Thing","metadata":{"name":"app","namespace":"ns","uid":"u1"},` +
		`"spec":{"version":"v1"},"status":{"owner":{"username":"alice"}}}`)
}

func oldThing(version string) []byte {
	return []byte(strings.ReplaceAll(string(thing(version, "")), "app", "old"))
}

func TestPushedObjectsAreOwnedByThePushOwner(t *testing.T) {
	for _, door := range pushDoors {
		t.Run(door.name, func(t *testing.T) {
			l, cloneRepo, pushed := door.open(t, revlog.Options{PushOwner: pushOwner})
			created, err := l.Create(t.Context(), appKey, ownedThing(), alice)
			if err != nil {
				t.Fatal(err)
			}
			// An object stored before owners were recorded has none.
			const oldKey, oldPath = "/things/ns/old", "ns/things/old.yaml"
			old, err := l.Create(t.Context(), oldKey, oldThing("v1"), alice)
			if err != nil {
				t.Fatal(err)
			}
			work := cloneRepo()

			const newKey, newPath = "/things/ns/new", "ns/things/new.yaml"
			commitFile(t, work, newPath, "apiVersion: test/v1\nkind: Thing\nmetadata:\n  name: new\n  namespace: ns\nspec:\n  version: v1\n")
			e := pushed(work, newKey, 0)
			if got := ownerName(t, e); got != "gitops:push" {
				t.Errorf("a pushed new object is owned by %q, want gitops:push; it is %s", got, e.Object)
			}
			if !strings.Contains(string(e.Object), `"owner":{"groups":["gitops:pushers"],"username":"gitops:push"}`) {
				t.Errorf("the push owner's groups are not recorded: %s", e.Object)
			}

			commitFile(t, work, appPath, manifest("v2"))
			e = pushed(work, appKey, created.Revision)
			if got := ownerName(t, e); got != "alice" {
				t.Errorf("after a pushed change of spec.version the owner is %q, want alice who created it", got)
			}

			commitFile(t, work, oldPath, strings.ReplaceAll(manifest("v2"), "app", "old"))
			if got := ownerName(t, pushed(work, oldKey, old.Revision)); got != "" {
				t.Errorf("a pushed change gave an object without an owner the owner %q; the reconcilers give it one", got)
			}

			commitFile(t, work, appPath, manifest("v3")+"  serviceAccountName: deployer\n")
			e = pushed(work, appKey, e.Revision)
			if got := ownerName(t, e); got != "gitops:push" {
				t.Errorf("after a push that sets spec.serviceAccountName the owner is %q, want gitops:push", got)
			}
		})
	}
}

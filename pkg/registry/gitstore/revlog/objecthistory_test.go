package revlog_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gitops.io/apiserver/pkg/registry/gitstore/gitrepo"
	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
)

const (
	appKey  = "/things/ns/app"
	appPath = "ns/things/app.yaml"
)

var (
	alice = gitrepo.Author{Name: "alice", Email: "alice@users.gitops.io"}
	bob   = gitrepo.Author{Name: "bob", Email: "bob@users.gitops.io"}
	carol = gitrepo.Author{Name: "carol", Email: "carol@users.gitops.io"}
	pat   = gitrepo.Author{Name: "Pat Pusher", Email: "pat@example.com"}
)

// storyOfApp writes the life of one object through every door: API
// creates, updates by three users, a status write, pushes of several
// commits, a delete and a re-create. It returns the log, its repository
// folder and the changes ManifestHistory should list, newest first.
func storyOfApp(t *testing.T) (*revlog.Log, string, []revlog.ManifestChange) {
	t.Helper()
	dir := t.TempDir()
	// One event in memory, so reads of old revisions go to Git history.
	l, err := revlog.Open(revlog.Options{Path: dir, PollInterval: 20 * time.Millisecond, EventsInMemory: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.Close)
	ctx := t.Context()
	var want []revlog.ManifestChange
	api := func(e *revlog.Entry, err error) *revlog.Entry {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	created := api(l.Create(ctx, appKey, thing("v1", ""), alice))
	want = append(want, change(revlog.Added, alice, created.Revision))
	api(l.Create(ctx, "/things/ns/other", []byte(strings.ReplaceAll(string(thing("o1", "")), "app", "other")), bob))
	// A status write changes no manifest: no commit of the branch.
	e := api(l.Update(ctx, appKey, thing("v1", "Ready"), created.Revision, alice))
	e = api(l.Update(ctx, appKey, thing("v2", "Ready"), e.Revision, bob))
	want = append(want, change(revlog.Modified, bob, e.Revision))
	e = api(l.Update(ctx, appKey, thing("v3", "Ready"), e.Revision, carol))
	want = append(want, change(revlog.Modified, carol, e.Revision))

	// One push of two commits: the revision goes to the commit that changed
	// the file, though the state commit took in the one after it.
	l.Repo().Settle() // the Git view follows the API answer
	work := clone(t, dir)
	commitFile(t, work, appPath, manifest("v4"))
	commitFile(t, work, "ns/things/another.yaml", strings.ReplaceAll(manifest("a"), "app", "another"))
	push(t, work)
	e = waitForRevision(t, l, appKey, e.Revision)
	want = append(want, change(revlog.Modified, pat, e.Revision))
	// One push of two changes of the file: only the newer one became a revision.
	commitFile(t, work, appPath, manifest("v5"))
	want = append(want, change(revlog.Modified, pat, 0))
	commitFile(t, work, appPath, manifest("v6"))
	push(t, work)
	e = waitForRevision(t, l, appKey, e.Revision)
	want = append(want, change(revlog.Modified, pat, e.Revision))

	deleted := api(l.Delete(ctx, appKey, e.Revision, alice))
	want = append(want, change(revlog.Deleted, alice, deleted.Revision))
	recreated := api(l.Create(ctx, appKey, thing("v7", ""), bob))
	want = append(want, change(revlog.Added, bob, recreated.Revision))

	for i, j := 0, len(want)-1; i < j; i, j = i+1, j-1 {
		want[i], want[j] = want[j], want[i]
	}
	// git itself says which commits changed the file.
	l.Repo().Settle()
	commits := strings.Fields(gitIn(t, dir, "rev-list", "--first-parent", "main", "--", appPath))
	if len(commits) != len(want) {
		t.Fatalf("git rev-list lists %d commits of %s, the story made %d", len(commits), appPath, len(want))
	}
	for i := range want {
		want[i].Commit = commits[i]
	}
	return l, dir, want
}

func TestManifestHistoryListsEveryChangeNewestFirst(t *testing.T) {
	l, _, want := storyOfApp(t)
	got, next, err := l.ManifestHistory(appKey, revlog.HistoryCursor{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !next.IsZero() {
		t.Errorf("the whole history ends with cursor %q, want none", next)
	}
	if diff := describeDiff(summarize(got), summarize(want)); diff != "" {
		t.Errorf("ManifestHistory:\n%s", diff)
	}
	for _, c := range got {
		if c.When.IsZero() || !strings.Contains(c.Message, "\n") {
			t.Errorf("commit %s lacks its time (%v) or full message (%q)", c.Commit, c.When, c.Message)
		}
	}
	if got[len(got)-1].Message != "create things ns/app\n" {
		t.Errorf("the create's message is %q", got[len(got)-1].Message)
	}

	none, _, err := l.ManifestHistory("/things/ns/never", revlog.HistoryCursor{}, 0)
	if err != nil || len(none) != 0 {
		t.Errorf("history of an object that never was: %v, %v; want none", none, err)
	}
}

func TestManifestHistoryPagesJoinToTheWhole(t *testing.T) {
	l, _, want := storyOfApp(t)
	for limit := 1; limit <= len(want); limit++ {
		var all []revlog.ManifestChange
		cursor := revlog.HistoryCursor{}
		for pages := 0; ; pages++ {
			if pages > len(want) {
				t.Fatalf("limit %d: more pages than changes", limit)
			}
			// A cursor travels as a token.
			from, err := revlog.ParseHistoryCursor(cursor.String())
			if err != nil {
				t.Fatal(err)
			}
			page, next, err := l.ManifestHistory(appKey, from, limit)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) > limit || (len(page) < limit && !next.IsZero()) {
				t.Fatalf("limit %d: a page of %d changes, next %q", limit, len(page), next)
			}
			all = append(all, page...)
			if next.IsZero() {
				break
			}
			cursor = next
		}
		if diff := describeDiff(summarize(all), summarize(want)); diff != "" {
			t.Errorf("pages of %d:\n%s", limit, diff)
		}
	}
	for _, token := range []string{"not-a-commit", strings.Repeat("0", 40)} {
		if _, err := revlog.ParseHistoryCursor(token); err == nil {
			t.Errorf("continue token %q was accepted", token)
		}
	}
}

func TestObjectAsItWasAtACommitOrRevision(t *testing.T) {
	l, _, history := storyOfApp(t)
	first, deletion := history[len(history)-1], history[1]

	m, err := l.ManifestAt(appKey, first.Commit)
	if err != nil || !strings.Contains(string(m), "version: v1") {
		t.Errorf("ManifestAt the create = %q, %v; want version v1", m, err)
	}
	if _, err := l.ManifestAt(appKey, deletion.Commit); !errors.Is(err, revlog.ErrNotFound) {
		t.Errorf("ManifestAt the delete: err %v, want ErrNotFound", err)
	}
	for _, unknown := range []string{strings.Repeat("ab", 20), strings.Repeat("0", 40), "HEAD", first.Commit[:12]} {
		if _, err := l.ManifestAt(appKey, unknown); !errors.Is(err, revlog.ErrUnknownCommit) || !strings.Contains(err.Error(), unknown) {
			t.Errorf("ManifestAt %s: err %v, want ErrUnknownCommit naming it", unknown, err)
		}
	}

	e, err := l.ObjectAt(appKey, first.Revision)
	if err != nil || e.Revision != first.Revision || !strings.Contains(string(e.Object), `"version":"v1"`) {
		t.Errorf("ObjectAt %d = %+v, %v; want version v1 at that revision", first.Revision, e, err)
	}
	if _, err := l.ObjectAt(appKey, deletion.Revision); !errors.Is(err, revlog.ErrNotFound) {
		t.Errorf("ObjectAt the delete's revision: err %v, want ErrNotFound", err)
	}
	if _, err := l.ObjectAt(appKey, l.Revision()+1); !errors.Is(err, revlog.ErrFutureRevision) {
		t.Errorf("ObjectAt a future revision: err %v, want ErrFutureRevision", err)
	}
	l.Compact(first.Revision + 1)
	if _, err := l.ObjectAt(appKey, first.Revision); !errors.Is(err, revlog.ErrCompacted) {
		t.Errorf("ObjectAt a compacted revision: err %v, want ErrCompacted", err)
	}
}

func thing(version, status string) []byte {
	s := ""
	if status != "" {
		s = `,"status":{"phase":"` + status + `"}`
	}
	return []byte(`{"apiVersion":"test/v1","kind":"Thing","metadata":{"name":"app","namespace":"ns","uid":"u1"},"spec":{"version":"` + version + `"}` + s + `}`)
}

func manifest(version string) string {
	return "apiVersion: test/v1\nkind: Thing\nmetadata:\n  name: app\n  namespace: ns\nspec:\n  version: " + version + "\n"
}

func change(typ revlog.EventType, author gitrepo.Author, revision uint64) revlog.ManifestChange {
	return revlog.ManifestChange{Type: typ, Author: author, Revision: revision}
}

// summarize keeps what the tests compare.
func summarize(changes []revlog.ManifestChange) []string {
	out := make([]string, len(changes))
	for i, c := range changes {
		out[i] = fmt.Sprintf("%.7s %-8s %s <%s> revision %d", c.Commit, c.Type, c.Author.Name, c.Author.Email, c.Revision)
	}
	return out
}

func describeDiff(got, want []string) string {
	if reflect.DeepEqual(got, want) {
		return ""
	}
	return "got:\n  " + strings.Join(got, "\n  ") + "\nwant:\n  " + strings.Join(want, "\n  ")
}

// waitForRevision waits until the log has taken in a push that changed key
// after revision after, and returns key's new entry.
func waitForRevision(t *testing.T, l *revlog.Log, key string, after uint64) *revlog.Entry {
	t.Helper()
	sub, err := l.Subscribe(key, false, after)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case <-sub.Ready():
		case <-timeout:
			t.Fatalf("the push of %s was not taken in within 10s", key)
		}
		events, _, ended, err := sub.Take()
		if len(events) > 0 {
			e, _ := l.Get(key)
			return e
		}
		if ended {
			t.Fatalf("subscription ended: %v", err)
		}
	}
}

// gitIn runs the git CLI in dir as Pat, who pushes to the storage repository.
func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME="+pat.Name, "GIT_AUTHOR_EMAIL="+pat.Email,
		"GIT_COMMITTER_NAME="+pat.Name, "GIT_COMMITTER_EMAIL="+pat.Email, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func clone(t *testing.T, repo string) string {
	t.Helper()
	work := filepath.Join(t.TempDir(), "work")
	gitIn(t, filepath.Dir(work), "clone", "-q", repo, work)
	return work
}

func commitFile(t *testing.T, work, path, content string) {
	t.Helper()
	full := filepath.Join(work, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	gitIn(t, work, "add", "-A")
	gitIn(t, work, "commit", "-q", "-m", "edit "+path)
}

func push(t *testing.T, work string) {
	t.Helper()
	gitIn(t, work, "push", "-q", "origin", "HEAD:main")
}

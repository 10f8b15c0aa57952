package gitrepo

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// An update is answered once journaled; when its files then cannot be
// written, the repository refuses more work until a reopen replays it.
func TestUpdateWhoseFilesFailIsReplayedAtReopen(t *testing.T) {
	dir := t.TempDir()
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	commitFiles(t, r, 1)
	r.Settle()

	// The pack folder becomes a file, so no pack can be written into it.
	packDir := filepath.Join(dir, "objects", "pack")
	aside := filepath.Join(dir, "pack-aside")
	if err := os.Rename(packDir, aside); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(packDir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	head, _ := commitFiles(t, r, 1) // journaled: UpdateRefs returns nil
	r.Settle()

	if _, err := r.Ref("refs/heads/main"); err == nil || !strings.Contains(err.Error(), "reopen") {
		t.Errorf("Ref after the files failed: err = %v, want one that says to reopen", err)
	}
	if err := r.UpdateRefs(RefUpdate{Name: "refs/heads/other", New: head}); err == nil {
		t.Error("an update after the files failed succeeded")
	}
	r.Close()

	if err := os.Remove(packDir); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(aside, packDir); err != nil {
		t.Fatal(err)
	}
	again, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if got, err := again.Ref("refs/heads/main"); err != nil || got != head {
		t.Fatalf("main after reopening = %s, %v; want the journaled %s", got, err, head)
	}
	gitOK(t, dir, "fsck", "--full", "--strict", "--no-dangling")
	if got := gitOK(t, dir, "show", "main:f/1"); got != "content 1" {
		t.Errorf("git show main:f/1 = %q", got)
	}
}

// An update whose journaling fails leaves its objects pending, so the next
// update packs them rather than name objects no pack holds.
func TestUpdateWhoseJournalFailsKeepsItsObjects(t *testing.T) {
	dir := t.TempDir()
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	blob, _ := r.WriteBlob([]byte("kept"))
	tree, err := r.WriteTree(plumbing.ZeroHash, map[string]plumbing.Hash{"f": blob})
	if err != nil {
		t.Fatal(err)
	}
	commit, err := r.WriteCommit(NewCommit{Tree: tree, Author: Author{Name: "t", Email: "t@example.com"}, Message: "kept"})
	if err != nil {
		t.Fatal(err)
	}
	journal := r.journal.file
	journal.Close() // writing the record fails
	if err := r.UpdateRefs(RefUpdate{Name: "refs/heads/main", New: commit}); err == nil {
		t.Fatal("an update with a closed journal succeeded")
	}
	if r.journal.file, err = os.OpenFile(journal.Name(), os.O_RDWR, 0); err != nil {
		t.Fatal(err)
	}
	if err := r.UpdateRefs(RefUpdate{Name: "refs/heads/main", New: commit}); err != nil {
		t.Fatalf("the update once the journal works again: %v", err)
	}
	r.Close()

	gitOK(t, dir, "fsck", "--full", "--strict", "--no-dangling")
	if got := gitOK(t, dir, "show", "main:f"); got != "kept" {
		t.Errorf("git show main:f = %q", got)
	}
}

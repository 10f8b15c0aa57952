package gitrepo

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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

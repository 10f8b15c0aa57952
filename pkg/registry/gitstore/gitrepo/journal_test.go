package gitrepo

import (
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// A power loss can take what was written but not synced: the newest packs
// and ref moves. Only the journal was synced; reopening must bring them back.
func TestJournalRestoresWhatAPowerLossTook(t *testing.T) {
	dir := t.TempDir()
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	early, _ := commitFiles(t, r, 3)
	head, tree := commitFiles(t, r, 3) // fewer than recentPacks: no checkpoint
	r.close(false)                     // as a crash would: the journal is not emptied

	// Lose the last three commits' packs and ref move, and leave half a
	// record at the journal's end, as a crash in the middle of a write would.
	packs, _ := filepath.Glob(filepath.Join(dir, "objects", "pack", "*.pack"))
	if len(packs) != 6 {
		t.Fatalf("%d packs, want one per commit", len(packs))
	}
	lost := 0
	for _, p := range packs {
		if _, err := os.Stat(p); err == nil && lost < 3 && !holds(t, dir, p, early) {
			os.Remove(p)
			os.Remove(p[:len(p)-len(".pack")] + ".idx")
			lost++
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "refs", "heads", "main"), []byte(early.String()+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	j, _, err := openJournal(dir)
	if err != nil {
		t.Fatal(err)
	}
	half := encodeRecord(journalRecord{updates: []RefUpdate{{Name: "refs/heads/main", Old: head, New: plumbing.NewHash("1111111111111111111111111111111111111111")}}}, 1)[:30]
	if _, err := j.file.WriteAt(half, j.end); err != nil {
		t.Fatal(err)
	}
	j.file.Close()

	again := reopenWithMainAt(t, dir, head)
	files, err := again.Files(tree)
	if err != nil || len(files) != 6 {
		t.Fatalf("last tree holds %d files (%v), want 6", len(files), err)
	}
	gitOK(t, dir, "fsck", "--full", "--strict", "--no-dangling")
	if _, records, err := openJournal(dir); err != nil || len(records) != 0 {
		t.Errorf("journal holds %d records after replaying (%v), want it emptied", len(records), err)
	}
}

// holds reports whether the pack at path holds commit c.
func holds(t *testing.T, dir, path string, c plumbing.Hash) bool {
	entries, err := packEntries(path[:len(path)-len(".pack")]+".idx", 1<<40)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.hash == c {
			return true
		}
	}
	return false
}

func TestJournalIsEmptiedOnceItsPacksAreMerged(t *testing.T) {
	dir := t.TempDir()
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	commitFiles(t, r, recentPacks+2)
	r.close(false) // waits for the merge and its checkpoint
	_, records, err := openJournal(dir)
	if err != nil {
		t.Fatal(err)
	}
	// The two commits after the merge may or may not be in it, depending on
	// when the merger ran; the twenty before it must not.
	if len(records) > 2 {
		t.Errorf("journal holds %d records after the merge, want at most 2", len(records))
	}
	// Records of the earlier generation, still further on in the file, are
	// not replayed: a reopen sees exactly the refs as they are.
	again, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	gitOK(t, dir, "fsck", "--full", "--strict", "--no-dangling")
}

func TestCloseEmptiesTheJournal(t *testing.T) {
	dir := t.TempDir()
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	head, _ := commitFiles(t, r, 3)
	r.Close()
	if _, records, err := openJournal(dir); err != nil || len(records) != 0 {
		t.Fatalf("journal holds %d records after Close (%v), want none to replay", len(records), err)
	}
	reopenWithMainAt(t, dir, head)
	gitOK(t, dir, "fsck", "--full", "--strict", "--no-dangling")
}

// A journal past maxJournal is emptied by the applier, without waiting for
// recentPacks packs to merge, so an Open after a crash replays little.
func TestFullJournalIsCheckpointedWithoutAMerge(t *testing.T) {
	dir := t.TempDir()
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var head plumbing.Hash
	big := make([]byte, 8<<20)
	for i := 0; !r.journal.full(); i++ {
		if i == recentPacks-1 {
			t.Fatal("the journal is not full before the packs merge; the blobs are too small")
		}
		rand.Read(big) // incompressible, so the journal grows by its size
		blob, _ := r.WriteBlob(big)
		tree, err := r.WriteTree(plumbing.ZeroHash, map[string]plumbing.Hash{"big": blob})
		if err != nil {
			t.Fatal(err)
		}
		next, err := r.WriteCommit(NewCommit{Tree: tree, Author: Author{Name: "t", Email: "t@example.com"}, Message: fmt.Sprint("big ", i)})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.UpdateRefs(RefUpdate{Name: "refs/heads/main", Old: head, New: next}); err != nil {
			t.Fatal(err)
		}
		head = next
	}
	deadline := time.Now().Add(10 * time.Second)
	for r.journal.full() {
		if time.Now().After(deadline) {
			t.Fatal("the journal is still full 10s after its last record")
		}
		time.Sleep(10 * time.Millisecond)
	}
	r.close(false)
	gitOK(t, dir, "fsck", "--full", "--strict", "--no-dangling")
	reopenWithMainAt(t, dir, head)
}

// reopenWithMainAt opens the repository in dir again, for the rest of the
// test, and checks that main is at head.
func reopenWithMainAt(t *testing.T, dir string, head plumbing.Hash) *Repo {
	t.Helper()
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	if got, err := r.Ref("refs/heads/main"); err != nil || got != head {
		t.Fatalf("main at %s (%v) after reopening, want %s", got, err, head)
	}
	return r
}

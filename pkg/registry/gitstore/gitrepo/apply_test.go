package gitrepo

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Updates journaled while the applier is busy wait, with their ref locked,
// and are then written as one pack, the ref moved once to the newest commit.
func TestUpdatesJournaledMeanwhileAreWrittenAsOnePack(t *testing.T) {
	dir := t.TempDir()
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	first, tree := commitFiles(t, r, 1)
	packs := func() int {
		found, _ := filepath.Glob(filepath.Join(dir, "objects", "pack", "*.pack"))
		return len(found)
	}
	before := packs()
	lock := filepath.Join(dir, "refs", "heads", "main.lock")

	r.applying.Lock() // as if the applier were writing an earlier update
	head := first
	for i := 1; i <= 3; i++ {
		head, tree = commitFile(t, r, head, tree, i)
	}
	if got, err := r.Ref("refs/heads/main"); err != nil || got != head {
		t.Errorf("Ref(main) while its files wait = %s, %v; want the journaled %s", got, err, head)
	}
	if got := strings.TrimSpace(gitOK(t, dir, "rev-parse", "main")); got != first.String() {
		t.Errorf("git sees main at %s before the files are written, want %s", got, first)
	}
	if _, err := os.Stat(lock); err != nil {
		t.Errorf("main is not locked while its move waits: %v", err)
	}
	r.applying.Unlock()
	r.Settle()

	if got := packs(); got != before+1 {
		t.Errorf("%d packs for three updates written together, want 1", got-before)
	}
	if _, err := os.Stat(lock); !os.IsNotExist(err) {
		t.Errorf("main still locked after Settle: %v", err)
	}
	if got := strings.TrimSpace(gitOK(t, dir, "rev-parse", "main")); got != head.String() {
		t.Errorf("git sees main at %s after Settle, want %s", got, head)
	}
	gitOK(t, dir, "fsck", "--full", "--strict", "--no-dangling")
	for _, f := range []string{"main:f/1", "main:f/3"} {
		if got := gitOK(t, dir, "show", f); !strings.HasPrefix(got, "content ") {
			t.Errorf("git show %s = %q", f, got)
		}
	}
}

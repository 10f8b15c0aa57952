package gitrepo

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// Enough commits for recent packs to merge into level 1, and level 1 packs
// into level 2, so every path of merge.go runs.
const commitsToMergeTwice = recentPacks*mergeFanIn + 3*recentPacks + 5

func TestCommitsAreStoredAsFewPacksThatGitAccepts(t *testing.T) {
	dir := t.TempDir()
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	head, tree := commitFiles(t, r, commitsToMergeTwice)
	r.Close() // waits for the merges

	if loose, _ := filepath.Glob(filepath.Join(dir, "objects", "??", "*")); len(loose) > 0 {
		t.Errorf("%d loose objects, want every object in a pack", len(loose))
	}
	packs, _ := filepath.Glob(filepath.Join(dir, "objects", "pack", "*.pack"))
	if max := recentPacks + 2*mergeFanIn; len(packs) > max || len(packs) < 2 {
		t.Errorf("%d packs after %d commits, want between 2 and %d", len(packs), commitsToMergeTwice, max)
	}
	gitOK(t, dir, "fsck", "--full", "--strict", "--no-dangling")
	if n := strings.TrimSpace(gitOK(t, dir, "rev-list", "--count", "refs/heads/main")); n != fmt.Sprint(commitsToMergeTwice) {
		t.Errorf("git counts %s commits, want %d", n, commitsToMergeTwice)
	}
	if got := gitOK(t, dir, "show", "main:f/100"); got != "content 100" {
		t.Errorf("git show main:f/100 = %q", got)
	}

	// A fresh process reads everything through go-git alone.
	again, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	files, err := again.Files(tree)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != commitsToMergeTwice {
		t.Fatalf("reopened tree holds %d files, want %d", len(files), commitsToMergeTwice)
	}
	data, err := again.Blob(files["f/7"])
	if err != nil || string(data) != "content 7" {
		t.Errorf("blob f/7 after reopening = %q, %v", data, err)
	}
	if _, err := again.Commit(head); err != nil {
		t.Errorf("head commit after reopening: %v", err)
	}
}

func TestObjectsAreReadableBeforeAndAfterTheirPackIsWritten(t *testing.T) {
	r, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	blob, err := r.WriteBlob([]byte("pending"))
	if err != nil {
		t.Fatal(err)
	}
	if data, err := r.Blob(blob); err != nil || string(data) != "pending" {
		t.Fatalf("pending blob = %q, %v", data, err)
	}
	// A blob written again while pending is queued once.
	if again, _ := r.WriteBlob([]byte("pending")); again != blob {
		t.Fatalf("same content, different hash %s", again)
	}
	commitFiles(t, r, recentPacks-1) // packs, not yet merged
	if data, err := r.Blob(blob); err != nil || string(data) != "pending" {
		t.Fatalf("blob in a recent pack = %q, %v", data, err)
	}
	commitFiles(t, r, 2)
	if err := r.mergePacks(); err != nil { // the merger's, but now
		t.Fatal(err)
	}
	if r.packs.has(blob) {
		t.Fatal("blob still served from its recent pack after merging")
	}
	if data, err := r.Blob(blob); err != nil || string(data) != "pending" {
		t.Fatalf("blob in a merged pack = %q, %v", data, err)
	}
}

// commitFiles makes n commits on main, the i-th adding file f/<i>, and
// returns the last commit and its tree. Each commit's files are written
// before the next, so each has a pack of its own.
func commitFiles(t *testing.T, r *Repo, n int) (head, tree plumbing.Hash) {
	t.Helper()
	head, err := r.Ref("refs/heads/main")
	if err != nil {
		t.Fatal(err)
	}
	if !head.IsZero() {
		c, err := r.Commit(head)
		if err != nil {
			t.Fatal(err)
		}
		tree = c.TreeHash
	}
	start := 0
	if files, err := r.Files(tree); err == nil {
		start = len(files)
	}
	for i := start; i < start+n; i++ {
		head, tree = commitFile(t, r, head, tree, i)
		r.Settle()
	}
	return head, tree
}

// commitFile commits file f/<i> on main, on top of head and tree.
func commitFile(t *testing.T, r *Repo, head, tree plumbing.Hash, i int) (plumbing.Hash, plumbing.Hash) {
	t.Helper()
	blob, err := r.WriteBlob(fmt.Appendf(nil, "content %d", i))
	if err != nil {
		t.Fatal(err)
	}
	if tree, err = r.WriteTree(tree, map[string]plumbing.Hash{fmt.Sprintf("f/%d", i): blob}); err != nil {
		t.Fatal(err)
	}
	var parents []plumbing.Hash
	if !head.IsZero() {
		parents = []plumbing.Hash{head}
	}
	next, err := r.WriteCommit(NewCommit{Tree: tree, Parents: parents, Author: Author{Name: "t", Email: "t@example.com"}, Message: fmt.Sprint("commit ", i)})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.UpdateRefs(RefUpdate{Name: "refs/heads/main", Old: head, New: next}); err != nil {
		t.Fatal(err)
	}
	return next, tree
}

func gitOK(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput()
	if err != nil || strings.Contains(string(out), "error") {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestPacksLeftByEarlierRunsAreMergedAtOpen(t *testing.T) {
	dir := t.TempDir()
	for range 3 { // three runs, each leaving recent packs unmerged
		r, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		commitFiles(t, r, recentPacks-1)
	}
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	packs, _ := filepath.Glob(filepath.Join(dir, "objects", "pack", "*.pack"))
	// All but the largest recentPacks/2 merged into one.
	if want := recentPacks/2 + 1; len(packs) != want {
		t.Errorf("%d packs after reopening %d, want %d", len(packs), 3*(recentPacks-1), want)
	}
	head, tree := commitFiles(t, r, 1)
	files, err := r.Files(tree)
	if err != nil || len(files) != 3*(recentPacks-1)+1 {
		t.Fatalf("tree holds %d files (%v), want %d", len(files), err, 3*(recentPacks-1)+1)
	}
	if _, err := r.Commit(head); err != nil {
		t.Fatal(err)
	}
	gitOK(t, dir, "fsck", "--full", "--strict", "--no-dangling")
}

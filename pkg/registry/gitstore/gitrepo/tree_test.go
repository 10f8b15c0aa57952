package gitrepo

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// Git is the judge of tree order: git fsck rejects a tree whose entries are
// not sorted its way, and "a" (file) / "a.b" / "a" (folder) sort differently.
func TestWrittenTreesSatisfyGitFsck(t *testing.T) {
	dir := t.TempDir()
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	blob, err := r.WriteBlob([]byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	root := plumbing.ZeroHash
	for _, edits := range []map[string]plumbing.Hash{
		{"a.b": blob, "a/c": blob, "a-": blob, "b/d/e": blob},
		{"a/d": blob, "a.a": blob, "a0": blob},
		{"a-": plumbing.ZeroHash, "b/d/e": plumbing.ZeroHash},
	} {
		if root, err = r.WriteTree(root, edits); err != nil {
			t.Fatal(err)
		}
	}
	files, err := r.Files(root)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for p := range files {
		names = append(names, p)
	}
	if len(names) != 5 {
		t.Errorf("tree holds %v, want a.b a/c a/d a.a a0", names)
	}
	commit, err := r.WriteCommit(NewCommit{Tree: root, Author: Author{Name: "t", Email: "t@example.com"}, Message: "m"})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.UpdateRefs(RefUpdate{Name: "refs/heads/main", New: commit}); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("git", "-C", dir, "fsck", "--strict", "--no-dangling").CombinedOutput()
	if err != nil || strings.Contains(string(out), "error") {
		t.Fatalf("git fsck: %v\n%s", err, out)
	}
}

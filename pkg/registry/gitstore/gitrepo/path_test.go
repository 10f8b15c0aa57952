package gitrepo

import (
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// Trees this process wrote are kept in memory without a go-git storer;
// reading a nested path of one used to panic.
func TestFileReadsNestedPathOfWrittenTree(t *testing.T) {
	r := openTemp(t)
	blob := writeBlob(t, r, "x")
	root := writeTree(t, r, plumbing.ZeroHash, map[string]plumbing.Hash{"a/b/c.yaml": blob, "a/d": blob})

	for p, want := range map[string]plumbing.Hash{
		"a/b/c.yaml": blob,
		"a/d":        blob,
		"a/b":        plumbing.ZeroHash, // a folder, not a file
		"a/d/e":      plumbing.ZeroHash, // below a file
		"a/x.yaml":   plumbing.ZeroHash,
		"z/b/c.yaml": plumbing.ZeroHash,
	} {
		got, err := r.File(root, p)
		if err != nil || got != want {
			t.Errorf("File(%s) = %s, %v; want %s", p, got, err, want)
		}
	}
}

func TestFileChangeComparesOnePath(t *testing.T) {
	r := openTemp(t)
	one, two := writeBlob(t, r, "1"), writeBlob(t, r, "2")
	const p = "ns/things/a.yaml"
	base := writeTree(t, r, plumbing.ZeroHash, map[string]plumbing.Hash{p: one, "ns/things/b.yaml": one, "other/x": one})
	otherChanged := writeTree(t, r, base, map[string]plumbing.Hash{"other/x": two, "ns/things/b.yaml": two})
	edited := writeTree(t, r, base, map[string]plumbing.Hash{p: two})
	removed := writeTree(t, r, base, map[string]plumbing.Hash{p: plumbing.ZeroHash})
	folder := writeTree(t, r, base, map[string]plumbing.Hash{p: plumbing.ZeroHash, p + "/inner": one})

	for _, tc := range []struct {
		name    string
		a, b    plumbing.Hash
		changed bool
		old     plumbing.Hash
		new     plumbing.Hash
	}{
		{"same tree", base, base, false, plumbing.ZeroHash, plumbing.ZeroHash},
		{"other files changed", base, otherChanged, false, plumbing.ZeroHash, plumbing.ZeroHash},
		{"edited", base, edited, true, one, two},
		{"created from an empty tree", plumbing.ZeroHash, base, true, plumbing.ZeroHash, one},
		{"removed", base, removed, true, one, plumbing.ZeroHash},
		{"replaced by a folder", base, folder, true, one, plumbing.ZeroHash},
	} {
		c, changed, err := r.FileChange(tc.a, tc.b, p)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if changed != tc.changed || c.Old != tc.old || c.New != tc.new {
			t.Errorf("%s: FileChange = %+v, changed %v; want changed %v from %s to %s", tc.name, c, changed, tc.changed, tc.old, tc.new)
		}
	}
}

func openTemp(t *testing.T) *Repo {
	t.Helper()
	r, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r
}

func writeBlob(t *testing.T, r *Repo, content string) plumbing.Hash {
	t.Helper()
	h, err := r.WriteBlob([]byte(content))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func writeTree(t *testing.T, r *Repo, base plumbing.Hash, edits map[string]plumbing.Hash) plumbing.Hash {
	t.Helper()
	h, err := r.WriteTree(base, edits)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

package gitrepo

import (
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// File returns the blob at path p in tree, or a zero hash when there is none.
func (r *Repo) File(tree plumbing.Hash, p string) (plumbing.Hash, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.entry(tree, strings.Split(p, "/"), false)
}

// FileChange compares the file at path p in trees a and b (a zero tree is
// empty). It reads the folders on p only while their hashes differ, so a
// commit that changed other folders costs one tree read per side. changed is
// false when the file is the same; otherwise c holds both blobs, a zero hash
// where the file is absent.
func (r *Repo) FileChange(a, b plumbing.Hash, p string) (c Change, changed bool, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := strings.Split(p, "/")
	for i, name := range names {
		if a == b {
			return Change{}, false, nil
		}
		last := i == len(names)-1
		if a, err = r.entry(a, []string{name}, !last); err != nil {
			return Change{}, false, err
		}
		if b, err = r.entry(b, []string{name}, !last); err != nil {
			return Change{}, false, err
		}
	}
	if a == b {
		return Change{}, false, nil
	}
	return Change{Path: p, Old: a, New: b}, true, nil
}

// entry follows names down from tree to a file (a folder when dir), reading
// one tree per name; a zero hash when something on the way is missing or of
// the other type.
func (r *Repo) entry(tree plumbing.Hash, names []string, dir bool) (plumbing.Hash, error) {
	for i, name := range names {
		if tree.IsZero() {
			return plumbing.ZeroHash, nil
		}
		t, err := r.tree(tree)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		wantDir := dir || i < len(names)-1
		tree = plumbing.ZeroHash
		for _, e := range t.Entries {
			if e.Name == name && (e.Mode == filemode.Dir) == wantDir {
				tree = e.Hash
				break
			}
		}
	}
	return tree, nil
}

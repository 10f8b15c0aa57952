package gitrepo

import (
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Change is a file that differs between two trees. A zero hash means absent.
type Change struct {
	Path     string
	Old, New plumbing.Hash
}

// WriteBlob stores data as a blob and returns its hash. It touches no
// shared state, so writers may call it in parallel.
func (r *Repo) WriteBlob(data []byte) (plumbing.Hash, error) {
	return r.store(plumbing.BlobObject, data), nil
}

// Files lists every file below tree as path -> blob hash.
func (r *Repo) Files(tree plumbing.Hash) (map[string]plumbing.Hash, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	files := map[string]plumbing.Hash{}
	if tree.IsZero() {
		return files, nil
	}
	err := r.walk(tree, "", func(p string, h plumbing.Hash) { files[p] = h })
	return files, err
}

func (r *Repo) walk(tree plumbing.Hash, dir string, fn func(string, plumbing.Hash)) error {
	t, err := r.tree(tree)
	if err != nil {
		return err
	}
	for _, e := range t.Entries {
		p := path.Join(dir, e.Name)
		if e.Mode == filemode.Dir {
			if err := r.walk(e.Hash, p, fn); err != nil {
				return err
			}
			continue
		}
		fn(p, e.Hash)
	}
	return nil
}

// Diff lists the files that differ between trees a and b, skipping subtrees
// whose hashes are equal, so its cost follows the size of the change.
func (r *Repo) Diff(a, b plumbing.Hash) ([]Change, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Change
	err := r.diff(a, b, "", &out)
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, err
}

func (r *Repo) entries(tree plumbing.Hash) (map[string]object.TreeEntry, error) {
	m := map[string]object.TreeEntry{}
	if tree.IsZero() {
		return m, nil
	}
	t, err := r.tree(tree)
	if err != nil {
		return nil, err
	}
	for _, e := range t.Entries {
		m[e.Name] = e
	}
	return m, nil
}

func (r *Repo) diff(a, b plumbing.Hash, dir string, out *[]Change) error {
	if a == b {
		return nil
	}
	ea, err := r.entries(a)
	if err != nil {
		return err
	}
	eb, err := r.entries(b)
	if err != nil {
		return err
	}
	names := map[string]bool{}
	for n := range ea {
		names[n] = true
	}
	for n := range eb {
		names[n] = true
	}
	for n := range names {
		x, y := ea[n], eb[n]
		if x.Hash == y.Hash && x.Mode == y.Mode {
			continue
		}
		p := path.Join(dir, n)
		xDir, yDir := x.Mode == filemode.Dir, y.Mode == filemode.Dir
		// A file replaced by a directory (or back) is a delete plus adds.
		var subA, subB plumbing.Hash
		if xDir {
			subA = x.Hash
		} else if !x.Hash.IsZero() {
			*out = append(*out, Change{Path: p, Old: x.Hash})
		}
		if yDir {
			subB = y.Hash
		} else if !y.Hash.IsZero() {
			if !xDir && !x.Hash.IsZero() {
				(*out)[len(*out)-1].New = y.Hash
			} else {
				*out = append(*out, Change{Path: p, New: y.Hash})
			}
		}
		if xDir || yDir {
			if err := r.diff(subA, subB, p, out); err != nil {
				return err
			}
		}
	}
	return nil
}

// WriteTree returns the tree that is base with edits applied: path -> new blob,
// or a zero hash to remove the file. Only the trees on edited paths are written.
func (r *Repo) WriteTree(base plumbing.Hash, edits map[string]plumbing.Hash) (plumbing.Hash, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	h, err := r.writeTree(base, edits)
	if err != nil || !h.IsZero() {
		return h, err
	}
	// A commit needs a tree object even when nothing is left in it.
	return r.store(plumbing.TreeObject, nil), nil
}

func (r *Repo) writeTree(base plumbing.Hash, edits map[string]plumbing.Hash) (plumbing.Hash, error) {
	var baseEntries []object.TreeEntry
	if !base.IsZero() {
		t, err := r.tree(base)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		baseEntries = t.Entries
	}
	// changed holds this level's new entries; a zero hash removes the name.
	changed := map[string]object.TreeEntry{}
	sub := map[string]map[string]plumbing.Hash{}
	for p, h := range edits {
		if dir, rest, ok := strings.Cut(p, "/"); ok {
			if sub[dir] == nil {
				sub[dir] = map[string]plumbing.Hash{}
			}
			sub[dir][rest] = h
			continue
		}
		changed[p] = object.TreeEntry{Name: p, Mode: filemode.Regular, Hash: h}
	}
	for dir, e := range sub {
		var child plumbing.Hash
		for _, old := range baseEntries {
			if old.Name == dir && old.Mode == filemode.Dir {
				child = old.Hash
			}
		}
		h, err := r.writeTree(child, e)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		changed[dir] = object.TreeEntry{Name: dir, Mode: filemode.Dir, Hash: h}
	}
	// The base is already in git's order: keep it, and merge in the few
	// changed entries, rather than sorting a large folder on every write.
	kept := make([]object.TreeEntry, 0, len(baseEntries)+len(changed))
	for _, e := range baseEntries {
		if _, ok := changed[e.Name]; !ok {
			kept = append(kept, e)
		}
	}
	var added []object.TreeEntry
	for _, e := range changed {
		if !e.Hash.IsZero() {
			added = append(added, e)
		}
	}
	sort.Slice(added, func(i, j int) bool { return gitLess(added[i], added[j]) })
	t := &object.Tree{Entries: make([]object.TreeEntry, 0, len(kept)+len(added))}
	for len(kept) > 0 || len(added) > 0 {
		if len(added) == 0 || (len(kept) > 0 && gitLess(kept[0], added[0])) {
			t.Entries, kept = append(t.Entries, kept[0]), kept[1:]
		} else {
			t.Entries, added = append(t.Entries, added[0]), added[1:]
		}
	}
	if len(t.Entries) == 0 {
		return plumbing.ZeroHash, nil
	}
	data, err := encodeTree(t.Entries)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	h := r.store(plumbing.TreeObject, data)
	r.remember(h, t)
	return h, nil
}

// encodeTree is go-git's Tree.Encode for sorted entries, into one buffer of
// the right size: a folder of thousands of objects is encoded on every write
// to it, and formatting entry by entry was most of a commit's cost.
func encodeTree(entries []object.TreeEntry) ([]byte, error) {
	size := 0
	for _, e := range entries {
		size += len("100644 ") + len(e.Name) + 1 + len(e.Hash)
	}
	data := make([]byte, 0, size)
	for _, e := range entries {
		if strings.IndexByte(e.Name, 0) >= 0 {
			return nil, fmt.Errorf("malformed file name %q", e.Name)
		}
		data = strconv.AppendUint(data, uint64(e.Mode), 8)
		data = append(data, ' ')
		data = append(data, e.Name...)
		data = append(data, 0)
		data = append(data, e.Hash[:]...)
	}
	return data, nil
}

// gitLess orders tree entries as git does: by name, a directory compared as
// if its name ended in "/".
func gitLess(a, b object.TreeEntry) bool {
	n := min(len(a.Name), len(b.Name))
	if c := strings.Compare(a.Name[:n], b.Name[:n]); c != 0 {
		return c < 0
	}
	return nextByte(a, n) < nextByte(b, n)
}

func nextByte(e object.TreeEntry, i int) int {
	switch {
	case i < len(e.Name):
		return int(e.Name[i])
	case e.Mode == filemode.Dir:
		return '/'
	}
	return 0
}

// tree reads a tree, from memory when it was read or written lately: every
// write rebuilds the trees on its paths from the current ones.
func (r *Repo) tree(h plumbing.Hash) (*object.Tree, error) {
	if t, ok := r.trees[h]; ok {
		return t, nil
	}
	t, err := object.GetTree(r.objects, h)
	if err != nil {
		return nil, fmt.Errorf("reading tree %s: %w", h, err)
	}
	r.remember(h, t)
	return t, nil
}

// maxCachedTrees bounds the tree cache; it is emptied when full, which is
// cheap and keeps no bookkeeping per entry.
const maxCachedTrees = 4096

func (r *Repo) remember(h plumbing.Hash, t *object.Tree) {
	if len(r.trees) >= maxCachedTrees {
		r.trees = map[plumbing.Hash]*object.Tree{}
	}
	r.trees[h] = t
}

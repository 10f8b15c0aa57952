package revlog

import (
	"github.com/go-git/go-git/v5/plumbing"

	"gitops.io/apiserver/pkg/registry/gitstore/layout"
)

// branchFile is the blob a write puts on the branch for the object whose
// manifest (as Split writes it) is manifest, and the hash of manifest. The
// file changes only when what it says changes, and then is edited in place:
// a person's formatting and comments stay.
func (l *Log) branchFile(cur *Entry, manifest []byte) (blob, canonical plumbing.Hash, err error) {
	canonical = plumbing.ComputeHash(plumbing.BlobObject, manifest)
	if cur == nil {
		blob, err = l.repo.WriteBlob(manifest)
		return blob, canonical, err
	}
	curCanonical, err := cur.canonicalManifest()
	if err != nil {
		return plumbing.ZeroHash, canonical, err
	}
	switch {
	case curCanonical == canonical:
		return cur.manifestBlob, canonical, nil
	case cur.manifestBlob == curCanonical:
		// Written by the API as Split writes it: no formatting to keep.
		blob, err = l.repo.WriteBlob(manifest)
		return blob, canonical, err
	}
	file, err := l.repo.Blob(cur.manifestBlob)
	if err != nil {
		return plumbing.ZeroHash, canonical, err
	}
	// Blobs are content-addressed, so writing one early is safe: if the write
	// does not happen it is just an unreferenced object.
	blob, err = l.repo.WriteBlob(layout.Edit(file, manifest))
	return blob, canonical, err
}

// canonicalManifest is the hash of the entry's manifest as Split writes it,
// whatever the file on the branch looks like.
func (e *Entry) canonicalManifest() (plumbing.Hash, error) {
	if !e.canonical.IsZero() {
		return e.canonical, nil
	}
	// Loaded or pushed: Split the object, which is what the file means.
	manifest, _, err := layout.Split(e.Object)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return plumbing.ComputeHash(plumbing.BlobObject, manifest), nil
}

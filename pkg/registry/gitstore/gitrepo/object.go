package gitrepo

import (
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// store queues an object of type t for the next pack (see pack.go). Until
// that pack is merged, the object is served from memory.
func (r *Repo) store(t plumbing.ObjectType, data []byte) plumbing.Hash {
	h := plumbing.ComputeHash(t, data)
	pool := compressors
	if t == plumbing.TreeObject {
		pool = storers
	}
	r.packs.add(h, packEntry{typ: t, size: int64(len(data)), body: deflate(data, pool)})
	return h
}

// objectStore is the repository as go-git reads it, plus the objects go-git
// has not indexed yet: pending ones and those of recent packs.
type objectStore struct {
	*filesystem.Storage
	packs *packs
}

func (s objectStore) EncodedObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	obj, err := s.packs.lookup(h)
	if err != nil {
		return nil, err
	}
	if obj == nil {
		return s.Storage.EncodedObject(t, h)
	}
	if t != plumbing.AnyObject && obj.Type() != t {
		return nil, plumbing.ErrObjectNotFound
	}
	return obj, nil
}

func (s objectStore) HasEncodedObject(h plumbing.Hash) error {
	if s.packs.has(h) {
		return nil
	}
	return s.Storage.HasEncodedObject(h)
}

func (s objectStore) EncodedObjectSize(h plumbing.Hash) (int64, error) {
	obj, err := s.packs.lookup(h)
	if err != nil || obj == nil {
		return s.Storage.EncodedObjectSize(h)
	}
	return obj.Size(), nil
}

// DeltaObject is what go-git's pack encoder reads (to push to a remote); an
// object not indexed by go-git yet is given whole.
func (s objectStore) DeltaObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	if s.packs.has(h) {
		return s.EncodedObject(t, h)
	}
	return s.Storage.DeltaObject(t, h)
}

package revlog

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"

	"gitops.io/apiserver/pkg/registry/gitstore/gitrepo"
	"gitops.io/apiserver/pkg/registry/gitstore/layout"
)

var (
	// ErrKeyExists: a create found the key taken.
	ErrKeyExists = errors.New("key exists")
	// ErrNotFound: an update or delete found no such key.
	ErrNotFound = errors.New("key not found")
	// ErrConflict: the key changed since the revision the writer read.
	ErrConflict = errors.New("key changed since it was read")
	// ErrTooLarge: the object is over MaxObjectSize.
	ErrTooLarge = errors.New("object too large")
)

// MaxObjectSize is the largest object stored, as etcd's default request limit.
const MaxObjectSize = 1536 * 1024

// write is one change waiting for the committer.
type write struct {
	key    string
	object []byte // nil deletes
	create bool   // the key must not exist
	expect uint64 // otherwise: the revision the key must still have
	author gitrepo.Author
	done   chan writeResult

	// Split by the caller, so many writers use many cores; the committer
	// only writes to Git.
	state        []byte
	manifestBlob plumbing.Hash // the file on the branch; already written
	canonical    plumbing.Hash // the manifest as Split writes it
	base         *Entry        // the entry manifestBlob was made from
	splitErr     error
}

type writeResult struct {
	entry *Entry
	err   error
}

// Create stores a new key. It fails with ErrKeyExists when the key is taken.
func (l *Log) Create(ctx context.Context, key string, object []byte, author gitrepo.Author) (*Entry, error) {
	return l.submit(ctx, &write{key: key, object: object, create: true, author: author})
}

// Update replaces key's value if the key is still at revision expect, and
// returns the new entry (the old one, unchanged, when nothing differs).
func (l *Log) Update(ctx context.Context, key string, object []byte, expect uint64, author gitrepo.Author) (*Entry, error) {
	return l.submit(ctx, &write{key: key, object: object, expect: expect, author: author})
}

// Delete removes key if it is still at revision expect. The returned entry is
// the last value with the revision of the deletion.
func (l *Log) Delete(ctx context.Context, key string, expect uint64, author gitrepo.Author) (*Entry, error) {
	return l.submit(ctx, &write{key: key, expect: expect, author: author})
}

func (l *Log) submit(ctx context.Context, w *write) (*Entry, error) {
	if len(w.object) > MaxObjectSize {
		return nil, fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, len(w.object), MaxObjectSize)
	}
	w.done = make(chan writeResult, 1)
	if w.object != nil {
		var manifest []byte
		manifest, w.state, w.splitErr = layout.Split(w.object)
		if w.splitErr == nil {
			w.base, _ = l.Get(w.key)
			w.manifestBlob, w.canonical, w.splitErr = l.branchFile(w.base, manifest)
		}
	}
	select {
	case l.writes <- w:
	case <-l.stop:
		return nil, errors.New("storage is closed")
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	// Once queued the write is carried out even if the caller goes away, so
	// wait for the outcome: the caller must not report a write that happened
	// as failed.
	r := <-w.done
	return r.entry, r.err
}

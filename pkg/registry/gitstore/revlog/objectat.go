package revlog

import (
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"

	"gitops.io/apiserver/pkg/registry/gitstore/layout"
)

// ErrFutureRevision: the revision asked for is newer than the store.
var ErrFutureRevision = errors.New("revision is newer than the store")

// ManifestAt returns key's manifest file as it was at a commit (40 hex
// digits): ErrUnknownCommit when there is no such commit, ErrNotFound when
// the file is not in it.
func (l *Log) ManifestAt(key, commit string) ([]byte, error) {
	path, err := layout.ManifestPath(key)
	if err != nil {
		return nil, err
	}
	h := plumbing.NewHash(commit)
	if !plumbing.IsHash(commit) || h.IsZero() {
		return nil, fmt.Errorf("%w: %q is not a commit hash", ErrUnknownCommit, commit)
	}
	c, err := l.branchCommit(h)
	if err != nil {
		return nil, err
	}
	blob, err := l.repo.File(c.TreeHash, path)
	if err != nil {
		return nil, err
	}
	if blob.IsZero() {
		return nil, fmt.Errorf("%w: commit %s has no %s", ErrNotFound, commit, path)
	}
	return l.repo.Blob(blob)
}

// ObjectAt returns key's entry as it was at revision rev: ErrCompacted when
// rev is older than the history kept, ErrFutureRevision when it is newer
// than the store, ErrNotFound when key did not exist then.
func (l *Log) ObjectAt(key string, rev uint64) (*Entry, error) {
	if current := l.Revision(); rev > current {
		return nil, fmt.Errorf("%w: %d, the store is at %d", ErrFutureRevision, rev, current)
	}
	var found *Entry
	err := l.RangeAt(key, key, rev, func(e *Entry) bool {
		if e.Key == key {
			found = e
		}
		return false
	})
	if err != nil {
		return nil, err
	}
	if found == nil {
		return nil, fmt.Errorf("%w: %s at revision %d", ErrNotFound, key, rev)
	}
	return found, nil
}

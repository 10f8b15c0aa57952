package revlog

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"gitops.io/apiserver/pkg/registry/gitstore/gitrepo"
	"gitops.io/apiserver/pkg/registry/gitstore/layout"
)

var (
	// ErrUnknownCommit: no commit has the hash asked for.
	ErrUnknownCommit = errors.New("no such commit")
	// ErrFutureRevision: the revision asked for is newer than the store.
	ErrFutureRevision = errors.New("revision is newer than the store")
)

// ManifestChange is a commit of the storage branch that changed one
// object's manifest file.
type ManifestChange struct {
	Commit  string
	Author  gitrepo.Author
	When    time.Time
	Message string
	// Type is Added when the file appeared, Deleted when it went, else Modified.
	Type EventType
	// Revision is the one the store gave the change; 0 when there is none:
	// a pushed file the store skipped, a commit of a push other than the
	// newest one that changed the file, or one older than the state ref's
	// compacted history.
	Revision uint64
}

// HistoryCursor is where a ManifestHistory walk goes on; the zero cursor
// starts at the branch head.
type HistoryCursor struct {
	commit plumbing.Hash // the next change to return
	// takenIn is the branch commit whose state commit gave the change at
	// commit its revision; zero when none did.
	takenIn plumbing.Hash
}

// IsZero reports whether c is the start of history (or, as returned by
// ManifestHistory, that nothing is left).
func (c HistoryCursor) IsZero() bool { return c.commit.IsZero() }

// String is the cursor as an opaque token, "" for the zero cursor.
func (c HistoryCursor) String() string {
	switch {
	case c.commit.IsZero():
		return ""
	case c.takenIn.IsZero():
		return c.commit.String()
	}
	return c.commit.String() + "." + c.takenIn.String()
}

// ParseHistoryCursor reads a token String made.
func ParseHistoryCursor(token string) (HistoryCursor, error) {
	if token == "" {
		return HistoryCursor{}, nil
	}
	commit, takenIn, hasTakenIn := strings.Cut(token, ".")
	if !plumbing.IsHash(commit) || (hasTakenIn && !plumbing.IsHash(takenIn)) {
		return HistoryCursor{}, fmt.Errorf("%q is not a history continue token", token)
	}
	c := HistoryCursor{commit: plumbing.NewHash(commit)}
	if c.commit.IsZero() {
		return HistoryCursor{}, fmt.Errorf("%q is not a history continue token", token)
	}
	if hasTakenIn {
		c.takenIn = plumbing.NewHash(takenIn)
	}
	return c, nil
}

// ManifestHistory returns up to limit (0: every) commits of the branch that
// changed key's manifest file, newest first, and the cursor of the rest (zero
// when there is none). It walks first parents from the branch head, or from
// a cursor it returned before, comparing the file with the parent's: a merge
// counts as the change it brought to the branch, as git log --first-parent.
func (l *Log) ManifestHistory(key string, from HistoryCursor, limit int) ([]ManifestChange, HistoryCursor, error) {
	path, err := layout.ManifestPath(key)
	if err != nil {
		return nil, HistoryCursor{}, err
	}
	l.mu.RLock()
	head, stateHead := l.mainHead, l.stateHead
	l.mu.RUnlock()
	takenIn, err := l.branchRevisions(key, stateHead)
	if err != nil {
		return nil, HistoryCursor{}, err
	}

	// pending is the revision of the newest change of the file in the
	// commits one state commit took in, until that change is found or the
	// walk leaves those commits.
	var pending *takeIn
	h := head
	if !from.IsZero() {
		h = from.commit
		if t, ok := takenIn[from.takenIn]; ok {
			pending = &t
		}
	}
	var changes []ManifestChange
	c, err := l.branchCommit(h)
	for err == nil && c != nil {
		if pending != nil && c.Hash == pending.after {
			pending = nil
		}
		if t, ok := takenIn[c.Hash]; ok {
			pending = &t
		}
		var parent *object.Commit
		var parentTree plumbing.Hash
		if len(c.ParentHashes) > 0 {
			if parent, err = l.branchCommit(c.ParentHashes[0]); err != nil {
				break
			}
			parentTree = parent.TreeHash
		}
		change, changed, ferr := l.repo.FileChange(parentTree, c.TreeHash, path)
		if ferr != nil {
			return nil, HistoryCursor{}, fmt.Errorf("comparing %s at commit %s with its parent: %w", path, c.Hash, ferr)
		}
		if changed {
			if limit > 0 && len(changes) == limit {
				next := HistoryCursor{commit: c.Hash}
				if pending != nil {
					next.takenIn = pending.main
				}
				return changes, next, nil
			}
			mc := manifestChange(c, change)
			if pending != nil {
				mc.Revision, pending = pending.revision, nil
			}
			changes = append(changes, mc)
		}
		c = parent
	}
	if err != nil {
		return nil, HistoryCursor{}, err
	}
	return changes, HistoryCursor{}, nil
}

func (l *Log) branchCommit(h plumbing.Hash) (*object.Commit, error) {
	if h.IsZero() {
		return nil, nil
	}
	c, err := l.repo.Commit(h)
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return nil, fmt.Errorf("%w: %s", ErrUnknownCommit, h)
	}
	if err != nil {
		return nil, fmt.Errorf("reading commit %s: %w", h, err)
	}
	return c, nil
}

func manifestChange(c *object.Commit, change gitrepo.Change) ManifestChange {
	mc := ManifestChange{Commit: c.Hash.String(), Author: gitrepo.Author{Name: c.Author.Name, Email: c.Author.Email},
		When: c.Author.When, Message: c.Message, Type: Modified}
	switch {
	case change.Old.IsZero():
		mc.Type = Added
	case change.New.IsZero():
		mc.Type = Deleted
	}
	return mc
}

// takeIn is a state commit that took in branch commits, with the revision
// it gave one key.
type takeIn struct {
	main     plumbing.Hash // the branch commit it took in, and those before
	after    plumbing.Hash // down to, not including, this one
	revision uint64
}

// branchRevisions reads the state ref's history for the revisions of key's
// manifest changes, by the branch commit each state commit took in. A state
// commit takes in branch commits when its Gitops-Main differs from its
// parent's: one of an API write, or every commit of a push. Its event for
// key, if any, is the newest change of the file among them (or a change of
// the state alone, when none of them changed the file).
func (l *Log) branchRevisions(key string, head plumbing.Hash) (map[plumbing.Hash]takeIn, error) {
	byMain := map[plumbing.Hash]takeIn{}
	sc, err := l.stateCommitOrNil(head)
	for err == nil && sc != nil {
		var parent *stateCommit
		if len(sc.commit.ParentHashes) > 0 {
			// The first state commit's parent is a branch commit: nil.
			if parent, err = l.stateCommitOrNil(sc.commit.ParentHashes[0]); err != nil {
				break
			}
		}
		var after plumbing.Hash
		if parent != nil {
			after = parent.msg.Main
		}
		if sc.msg.Main != after {
			for _, e := range sc.msg.Events {
				if e.Key == key {
					byMain[sc.msg.Main] = takeIn{main: sc.msg.Main, after: after, revision: e.Revision}
				}
			}
		}
		sc = parent
	}
	return byMain, err
}

func (l *Log) stateCommitOrNil(h plumbing.Hash) (*stateCommit, error) {
	if h.IsZero() {
		return nil, nil
	}
	sc, ok, err := l.readStateCommit(h)
	if err != nil {
		return nil, fmt.Errorf("reading state commit %s: %w", h, err)
	}
	if !ok {
		return nil, nil
	}
	return sc, nil
}

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

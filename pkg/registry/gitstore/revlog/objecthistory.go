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

// ErrUnknownCommit: no commit has the hash asked for.
var ErrUnknownCommit = errors.New("no such commit")

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

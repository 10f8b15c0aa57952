package revlog

import (
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
)

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

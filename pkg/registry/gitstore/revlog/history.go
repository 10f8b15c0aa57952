package revlog

import (
	"fmt"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"gitops.io/apiserver/pkg/registry/gitstore/layout"
)

// stateCommit is a parsed commit of the state ref.
type stateCommit struct {
	hash   plumbing.Hash
	commit *object.Commit
	msg    stateMessage
	parent *stateCommit // previous state commit; nil at the root
}

func (l *Log) readStateCommit(h plumbing.Hash) (*stateCommit, bool, error) {
	c, err := l.repo.Commit(h)
	if err != nil {
		return nil, false, err
	}
	msg, ok, err := parseStateMessage(c.Message)
	if err != nil || !ok {
		return nil, false, err
	}
	return &stateCommit{hash: h, commit: c, msg: msg}, true, nil
}

// stateChain returns the state commits that hold revisions after from, oldest
// first, each with its parent, walking back from head.
func (l *Log) stateChain(head plumbing.Hash, from uint64) ([]*stateCommit, error) {
	var chain []*stateCommit
	h := head
	for !h.IsZero() {
		sc, ok, err := l.readStateCommit(h)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if len(chain) > 0 {
			chain[len(chain)-1].parent = sc
		}
		if sc.msg.Revision <= from {
			break
		}
		if sc.msg.Compacted {
			return nil, ErrCompacted
		}
		chain = append(chain, sc)
		h = plumbing.ZeroHash
		if len(sc.commit.ParentHashes) > 0 {
			h = sc.commit.ParentHashes[0]
		}
	}
	if n := len(chain); n > 0 && chain[n-1].parent == nil {
		// The oldest commit of the whole history: revisions before its first
		// event are from before the store began (revision 1).
		if first := chain[n-1].msg.Events; len(first) > 0 && first[0].Revision > from+1 {
			return nil, ErrCompacted
		}
	}
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	return chain, nil
}

// history reads from Git the events with revisions in (from, upTo].
func (l *Log) history(head plumbing.Hash, from, upTo uint64) ([]Event, error) {
	chain, err := l.stateChain(head, from)
	if err != nil {
		return nil, err
	}
	var events []Event
	for _, sc := range chain {
		for _, line := range sc.msg.Events {
			if line.Revision <= from || line.Revision > upTo {
				continue
			}
			ev, err := l.historicEvent(sc, line)
			if err != nil {
				return nil, fmt.Errorf("state commit %s, %s: %w", sc.hash, line.Key, err)
			}
			events = append(events, ev)
		}
	}
	return events, nil
}

func (l *Log) historicEvent(sc *stateCommit, line eventLine) (Event, error) {
	ev := Event{Type: line.Type, Key: line.Key, Revision: line.Revision}
	path, err := layout.StatePath(line.Key)
	if err != nil {
		return ev, err
	}
	if line.Type != Added {
		if sc.parent == nil {
			return ev, fmt.Errorf("no earlier state for a %s", line.Type)
		}
		prev, err := l.entryAt(sc.parent.commit.TreeHash, line.Key, path)
		if err != nil {
			return ev, err
		}
		ev.Prev, ev.PrevRevision = prev.Object, prev.Revision
		ev.Object = prev.Object
	}
	if line.Type != Deleted {
		cur, err := l.entryAt(sc.commit.TreeHash, line.Key, path)
		if err != nil {
			return ev, err
		}
		ev.Object = cur.Object
	}
	return ev, nil
}

func (l *Log) entryAt(tree plumbing.Hash, key, path string) (*Entry, error) {
	blob, err := l.repo.File(tree, path)
	if err != nil {
		return nil, err
	}
	if blob.IsZero() {
		return nil, fmt.Errorf("%s missing from state tree %s", path, tree)
	}
	return l.readEntry(key, blob)
}

// RangeAt is Range over the store as it was at revision rev: the current
// state with the events after rev undone (from memory, or from Git history).
func (l *Log) RangeAt(prefix, from string, rev uint64, fn func(*Entry) bool) error {
	l.mu.RLock()
	current := l.revision
	if rev == current {
		l.mu.RUnlock()
		l.Range(prefix, from, fn)
		return nil
	}
	if rev < l.compacted {
		l.mu.RUnlock()
		return ErrCompacted
	}
	entries := map[string]*Entry{}
	l.index.AscendGreaterOrEqual(&Entry{Key: prefix}, func(e *Entry) bool {
		if !strings.HasPrefix(e.Key, prefix) {
			return false
		}
		entries[e.Key] = e
		return true
	})
	var events []Event
	inMemory := rev >= l.recentFrom
	if inMemory {
		for _, ev := range l.recent {
			if ev.Revision > rev {
				events = append(events, ev)
			}
		}
	}
	head := l.stateHead
	l.mu.RUnlock()
	if !inMemory {
		var err error
		if events, err = l.history(head, rev, current); err != nil {
			return err
		}
	}
	for i := len(events) - 1; i >= 0; i-- {
		ev := events[i]
		if !strings.HasPrefix(ev.Key, prefix) {
			continue
		}
		if ev.Type == Added {
			delete(entries, ev.Key)
		} else {
			entries[ev.Key] = &Entry{Key: ev.Key, Object: ev.Prev, Revision: ev.PrevRevision}
		}
	}
	keys := make([]string, 0, len(entries))
	for k := range entries {
		if k >= from {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !fn(entries[k]) {
			break
		}
	}
	return nil
}

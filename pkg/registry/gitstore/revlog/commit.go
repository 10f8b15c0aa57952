package revlog

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/registry/gitstore/gitrepo"
)

// maxBatch bounds how many writes share one commit.
const maxBatch = 256

// run is the only goroutine that writes to the repository: it groups queued
// writes into commits and takes in pushed commits between batches.
func (l *Log) run() {
	defer close(l.stopped)
	poll := time.NewTicker(l.opts.PollInterval)
	defer poll.Stop()
	var pull <-chan time.Time
	if l.opts.Mirror != nil {
		t := time.NewTicker(l.opts.Mirror.PullInterval)
		defer t.Stop()
		pull = t.C
	}
	var carry *write
	for {
		first := carry
		carry = nil
		if first == nil {
			select {
			case <-l.stop:
				return
			case <-poll.C:
				if err := l.ingestPushed(); err != nil {
					klog.ErrorS(err, "Taking in pushed commits failed; will retry", "branch", l.branch)
				}
				continue
			case <-pull:
				if _, err := l.syncMirror(); err != nil {
					klog.ErrorS(err, "Taking in pulled commits failed; will retry", "branch", l.branch)
				}
				continue
			case done := <-l.pulls:
				pullErr, err := l.syncMirror()
				done <- errors.Join(pullErr, err)
				continue
			case first = <-l.writes:
			}
		}
		batch, next := l.collect(first)
		carry = next
		l.applyWrites(batch)
	}
}

// collect groups queued writes with the first one: same author (a commit has
// one author) and each key at most once, so every write keeps its own revision.
func (l *Log) collect(first *write) (batch []*write, carry *write) {
	batch = []*write{first}
	keys := map[string]bool{first.key: true}
	for len(batch) < maxBatch {
		select {
		case w := <-l.writes:
			if w.author != first.author || keys[w.key] {
				return batch, w
			}
			keys[w.key] = true
			batch = append(batch, w)
		default:
			return batch, nil
		}
	}
	return batch, nil
}

// change is one key's part of a commit.
type change struct {
	typ   EventType
	entry *Entry // the new value; for Deleted the old one
	prev  *Entry
	// branchChanged: the key's file on the branch is new or different.
	branchChanged bool
	write         *write // nil for changes that arrived by push
}

// changeType is Added for a key that has no entry yet, else Modified.
func changeType(cur *Entry) EventType {
	if cur == nil {
		return Added
	}
	return Modified
}

func (l *Log) applyWrites(batch []*write) {
	for attempt := 0; ; attempt++ {
		if err := l.ingestPushed(); err != nil {
			finish(batch, fmt.Errorf("taking in pushed commits: %w", err))
			return
		}
		changes := l.plan(batch)
		if len(changes) == 0 {
			return
		}
		// plan has answered the other writes; a retry checks only these.
		batch = batch[:0]
		for _, c := range changes {
			batch = append(batch, c.write)
		}
		err := l.commit(changes, batch[0].author, plumbing.ZeroHash)
		if err == nil {
			return // commit answered the writes
		}
		if (errors.Is(err, gitrepo.ErrRefMoved) || errors.Is(err, gitrepo.ErrRefLocked)) && attempt < 50 {
			// A git push got in first; take it in and check the writes again.
			time.Sleep(time.Duration(attempt+1) * 10 * time.Millisecond)
			continue
		}
		if errors.Is(err, gitrepo.ErrRemoteMoved) && attempt < 50 {
			// The remote has commits we lack: pull them, then check again.
			if err = l.pullMirror(); err == nil {
				continue
			}
		}
		finish(batch, err)
		return
	}
}

func finish(batch []*write, err error) {
	for _, w := range batch {
		w.done <- writeResult{err: err}
	}
}

// plan checks each write against the current index, answers the ones that
// fail or change nothing, and returns the changes to commit.
func (l *Log) plan(batch []*write) []change {
	var changes []change
	for _, w := range batch {
		cur, _ := l.Get(w.key)
		switch {
		case w.create && cur != nil:
			w.done <- writeResult{err: ErrKeyExists}
			continue
		case !w.create && cur == nil:
			w.done <- writeResult{err: ErrNotFound}
			continue
		case !w.create && cur.Revision != w.expect:
			w.done <- writeResult{err: ErrConflict}
			continue
		}
		if w.object == nil {
			changes = append(changes, change{typ: Deleted, entry: cur, prev: cur, write: w})
			continue
		}
		if w.splitErr != nil {
			w.done <- writeResult{err: w.splitErr}
			continue
		}
		if w.base != cur {
			// The file was made from an entry that is gone; the revision
			// checks above make this unreachable, but a file made from
			// another version must never be committed.
			w.done <- writeResult{err: ErrConflict}
			continue
		}
		if cur != nil && cur.manifestBlob == w.manifestBlob && bytes.Equal(cur.state, w.state) {
			w.done <- writeResult{entry: cur} // no-op: no commit, same revision
			continue
		}
		// The encoded object is what Merge would rebuild from the two parts.
		changes = append(changes, change{typ: changeType(cur), prev: cur, write: w,
			branchChanged: cur == nil || cur.manifestBlob != w.manifestBlob,
			entry:         &Entry{Key: w.key, Object: w.object, manifestBlob: w.manifestBlob, canonical: w.canonical, state: w.state}})
	}
	return changes
}

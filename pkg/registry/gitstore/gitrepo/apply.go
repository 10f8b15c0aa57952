package gitrepo

import (
	"fmt"
	"time"

	"k8s.io/klog/v2"
)

// A journaled update is durable, so the files git reads (its pack, its index
// and the moved refs) are written after UpdateRefs returns, by the applier
// goroutine, while the caller builds its next commit. When updates are
// journaled faster than their files are written, the applier writes their
// packs in turn and then moves each ref once, to its newest commit. A ref
// stays locked from its journaled move until it is on disk, so a git push
// meanwhile is refused as git refuses one to a locked ref.

// applyInterval is the least time between two rounds of the applier, so
// that a busy repository creates files per round of commits, not per commit:
// each round creates four (a pack, its index, and the lock files the next
// commit takes), and creating a file costs a third of a millisecond of CPU
// on the machines measured. 5 ms gave 16-way writes about a quarter less
// than 50 ms; the first write after a quiet spell is applied at once.
const applyInterval = 50 * time.Millisecond

// maxApplyRounds bounds the rounds of applyQueued that write packs while
// updates go on.
const maxApplyRounds = 4

// runApplier writes what is journaled whenever UpdateRefs asks, until the
// repository is closed.
func (r *Repo) runApplier() {
	defer close(r.applierDone)
	for range r.applyRequests {
		r.applyQueued()
		// The packs journaled meanwhile become one: every file created
		// slows the journal's next fdatasync, which commits the file
		// system's metadata too.
		time.Sleep(applyInterval)
	}
}

// requestApply wakes the applier unless it has a request pending.
func (r *Repo) requestApply() {
	select {
	case r.applyRequests <- struct{}{}:
	default:
	}
}

// applyQueued writes the queued packs while updates go on, then, with
// updates held off, moves the refs. Packs queued meanwhile are written
// first, in a few more rounds while updates go on, so that holding them
// off rarely waits for a pack.
func (r *Repo) applyQueued() {
	r.applying.Lock()
	defer r.applying.Unlock()
	for round := 1; ; round++ {
		err := r.writeQueuedPacks()
		r.updating.Lock()
		r.mu.Lock()
		done := len(r.queued) == 0
		r.mu.Unlock()
		if err != nil || done || round == maxApplyRounds {
			r.finishApplying(err)
			if r.failed == nil && r.journal.full() {
				if err := r.checkpointHeld(0); err != nil {
					klog.ErrorS(err, "Checkpointing the journal failed; will retry after the next commit", "repository", r.path)
				}
			}
			r.updating.Unlock()
			return
		}
		r.updating.Unlock()
	}
}

// Settle waits until every update is in the repository's files, as the git
// CLI reads them.
func (r *Repo) Settle() {
	r.applying.Lock()
	defer r.applying.Unlock()
	r.updating.Lock()
	defer r.updating.Unlock()
	r.finishApplying(nil)
}

// writeQueuedPacks writes the queued packs as one pack.
func (r *Repo) writeQueuedPacks() error {
	r.mu.Lock()
	n := len(r.queued)
	owns := r.queued[:n:n]
	r.mu.Unlock()
	if n == 0 {
		return nil
	}
	if err := r.writeApplied(owns); err != nil {
		return err
	}
	r.mu.Lock()
	r.queued = r.queued[n:]
	r.mu.Unlock()
	return nil
}

// finishApplying writes the remaining queued packs and moves the held refs,
// unless err, an earlier failure to write, says it cannot. The caller holds
// applying and updating.
func (r *Repo) finishApplying(err error) {
	if r.failed != nil {
		return
	}
	if err == nil {
		err = r.writeQueuedPacks()
	}
	r.mu.Lock()
	locks := make([]*refLock, 0, len(r.held))
	for _, l := range r.held {
		locks = append(locks, l)
	}
	r.mu.Unlock()
	if err == nil {
		err = r.moveLocked(locks)
	}
	releaseAll(locks)
	r.mu.Lock()
	defer r.mu.Unlock()
	clear(r.held)
	if err != nil {
		// The updates are journaled and were answered: only a replay, at
		// the next Open, can finish them.
		r.queued = nil
		r.failed = fmt.Errorf("the repository's files could not be updated, reopen it to replay its journal: %w", err)
		klog.ErrorS(err, "Writing a journaled commit to the storage repository failed; writes fail until it is reopened", "repository", r.path)
		return
	}
	if len(locks) > 0 && !r.closed {
		r.requestMerge()
	}
}

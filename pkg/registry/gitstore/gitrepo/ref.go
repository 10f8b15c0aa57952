package gitrepo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"k8s.io/klog/v2"
)

// ErrRefMoved is returned by UpdateRefs when a ref no longer holds the
// expected value: someone else (usually a git push) moved it first.
var ErrRefMoved = errors.New("ref moved")

// ErrRefLocked is returned when another writer holds a ref's lock file.
var ErrRefLocked = errors.New("ref is locked by another writer")

// Ref returns the commit a ref points at, or a zero hash when it does not
// exist. Loose refs win over packed-refs, as in git. A ref whose journaled
// move is still being written is already at its new commit: it is locked,
// so nothing else can move it.
func (r *Repo) Ref(name plumbing.ReferenceName) (plumbing.Hash, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failed != nil {
		// The refs on disk may lag what was journaled.
		return plumbing.ZeroHash, r.failed
	}
	if h, ok := r.moving[name]; ok {
		return h, nil
	}
	ref, err := r.storage.Reference(name)
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return plumbing.ZeroHash, nil
	}
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return ref.Hash(), nil
}

// RefUpdate moves Name from Old to New.
type RefUpdate struct {
	Name     plumbing.ReferenceName
	Old, New plumbing.Hash
}

// UpdateRefs moves refs from their old to their new commits, all or none,
// with git's lock-file protocol, so it is mutually exclusive with git push.
// The objects written since the last update become one pack, and the pack
// and the moves are journaled (see journal.go), so a returned nil means the
// update survives a crash. The pack and ref files are written after it
// returns, with the refs locked meanwhile; Settle waits for them.
func (r *Repo) UpdateRefs(updates ...RefUpdate) error {
	return r.UpdateRefsNotifying(nil, updates...)
}

// UpdateRefsNotifying is UpdateRefs that calls journaled, when not nil, as
// soon as the update is durable, before it returns.
func (r *Repo) UpdateRefsNotifying(journaled func(), updates ...RefUpdate) error {
	r.updating.Lock()
	own, locks, err := r.journalUpdate(updates)
	if err != nil {
		r.updating.Unlock()
		return err
	}
	r.mu.Lock()
	for _, u := range updates {
		r.moving[u.Name] = u.New
	}
	r.mu.Unlock()
	if journaled != nil {
		journaled()
	}
	// The caller goes on, say to build its next commit, while the files are
	// written; the next update waits for them, as applyJournaled unlocks
	// updating.
	go r.applyJournaled(own, locks)
	return nil
}

// journalUpdate locks the refs and journals their moves with the pending
// objects' pack (nil when there are none).
func (r *Repo) journalUpdate(updates []RefUpdate) (*ownPack, []*refLock, error) {
	if r.closed {
		return nil, nil, errors.New("the storage repository is closed")
	}
	if r.failed != nil {
		return nil, nil, r.failed
	}
	locks, err := r.lockRefs(updates)
	if err != nil {
		releaseAll(locks)
		return nil, nil, err
	}
	own, err := r.packPending()
	if err == nil {
		rec := journalRecord{updates: updates}
		if own != nil {
			rec.pack = own.writtenPack
		}
		err = r.journal.append(rec)
	}
	if err != nil {
		releaseAll(locks)
		return nil, nil, fmt.Errorf("journaling the update of %s: %w", updates[0].Name, err)
	}
	if own != nil {
		r.packs.serveFrom(own)
	}
	return own, locks, nil
}

// applyJournaled writes a journaled pack and moves the locked refs, then
// lets the next update in.
func (r *Repo) applyJournaled(own *ownPack, locks []*refLock) {
	defer r.updating.Unlock()
	defer releaseAll(locks)
	err := r.writeOwnPack(own)
	if err == nil {
		err = r.moveLocked(locks)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	clear(r.moving)
	if err != nil {
		// The update is journaled and was answered: only a replay, at the
		// next Open, can finish it.
		r.failed = fmt.Errorf("the repository's files could not be updated, reopen it to replay its journal: %w", err)
		klog.ErrorS(err, "Writing a journaled commit to the storage repository failed; writes fail until it is reopened", "repository", r.path)
		return
	}
	r.requestMerge()
}

// Settle waits until every update is in the repository's files, as the git
// CLI reads them.
func (r *Repo) Settle() {
	r.updating.Lock()
	defer r.updating.Unlock()
}

// lockRefs takes the lock of each ref, checks that it still holds Old and
// writes New into the lock file.
func (r *Repo) lockRefs(updates []RefUpdate) ([]*refLock, error) {
	var locks []*refLock
	for _, u := range updates {
		l, err := r.lock(u.Name)
		if err != nil {
			return locks, err
		}
		locks = append(locks, l)
		current, err := r.Ref(u.Name)
		if err != nil {
			return locks, err
		}
		if current != u.Old {
			return locks, fmt.Errorf("%s is at %s, expected %s: %w", u.Name, current, u.Old, ErrRefMoved)
		}
		if _, err := l.file.WriteString(u.New.String() + "\n"); err != nil {
			return locks, err
		}
		if err := l.file.Close(); err != nil {
			return locks, err
		}
	}
	return locks, nil
}

// moveLocked renames the lock files over their refs. The refs are synced at
// the next checkpoint; until then the journal has their new values.
func (r *Repo) moveLocked(locks []*refLock) error {
	for _, l := range locks {
		if err := os.Rename(l.path, l.ref); err != nil {
			return err
		}
		l.renamed = true
		r.journal.moved(l.ref)
	}
	return nil
}

func releaseAll(locks []*refLock) {
	for _, l := range locks {
		l.release()
	}
}

type refLock struct {
	ref, path string
	file      *os.File
	renamed   bool
}

func (r *Repo) lock(name plumbing.ReferenceName) (*refLock, error) {
	ref := filepath.Join(r.path, filepath.FromSlash(name.String()))
	if err := os.MkdirAll(filepath.Dir(ref), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(ref+".lock", os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if os.IsExist(err) {
		return nil, fmt.Errorf("%s: %w", name, ErrRefLocked)
	}
	if err != nil {
		return nil, err
	}
	return &refLock{ref: ref, path: ref + ".lock", file: f}, nil
}

func (l *refLock) release() {
	if !l.renamed {
		l.file.Close()
		os.Remove(l.path)
	}
}

// syncAll fsyncs files and folders at once: the file system commits them
// together, where one after the other would wait for a commit each.
func syncAll(paths []string) error {
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Go(func() { errs[i] = syncPath(p) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

func syncPath(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

package gitrepo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
)

// ErrRefMoved is returned by UpdateRefs when a ref no longer holds the
// expected value: someone else (usually a git push) moved it first.
var ErrRefMoved = errors.New("ref moved")

// ErrRefLocked is returned when another writer holds a ref's lock file.
var ErrRefLocked = errors.New("ref is locked by another writer")

// Ref returns the commit a ref points at, or a zero hash when it does not
// exist. Loose refs win over packed-refs, as in git. A ref whose journaled
// move is not on disk yet is already at its new commit: it is locked, so
// nothing else can move it.
func (r *Repo) Ref(name plumbing.ReferenceName) (plumbing.Hash, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failed != nil {
		// The refs on disk may lag what was journaled.
		return plumbing.ZeroHash, r.failed
	}
	if l, ok := r.held[name]; ok {
		return l.value, nil
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
// returns, with the refs locked meanwhile (see apply.go); Settle waits for
// them.
func (r *Repo) UpdateRefs(updates ...RefUpdate) error {
	return r.UpdateRefsNotifying(nil, updates...)
}

// UpdateRefsNotifying is UpdateRefs that calls journaled, when not nil, as
// soon as the update is durable, before it returns.
func (r *Repo) UpdateRefsNotifying(journaled func(), updates ...RefUpdate) error {
	r.updating.Lock()
	defer r.updating.Unlock()
	if err := r.journalUpdate(updates); err != nil {
		return err
	}
	if journaled != nil {
		journaled()
	}
	r.requestApply()
	return nil
}

// journalUpdate locks the refs not locked yet, journals their moves with the
// pending objects' pack, and queues that pack and the moves for the applier.
func (r *Repo) journalUpdate(updates []RefUpdate) error {
	if r.closed {
		return errors.New("the storage repository is closed")
	}
	if r.failed != nil {
		return r.failed
	}
	locks, err := r.lockRefs(updates)
	if err != nil {
		releaseAll(locks)
		return err
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
		return fmt.Errorf("journaling the update of %s: %w", updates[0].Name, err)
	}
	if own != nil {
		r.packs.serveFrom(own)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, l := range locks {
		r.held[l.name] = l
	}
	for _, u := range updates {
		r.held[u.Name].value = u.New
	}
	if own != nil {
		r.queued = append(r.queued, own)
	}
	return nil
}

// lockRefs checks that each ref still holds Old and takes the lock of those
// not held already, to be moved to New. It returns the locks it took.
func (r *Repo) lockRefs(updates []RefUpdate) ([]*refLock, error) {
	var locks []*refLock
	for _, u := range updates {
		r.mu.Lock()
		held := r.held[u.Name]
		r.mu.Unlock()
		if held == nil {
			l, err := r.lock(u.Name)
			if err != nil {
				return locks, err
			}
			locks = append(locks, l)
			// A lock file is never empty: go-git, listing refs, reads it.
			l.value = u.New
			if err := l.write(u.New); err != nil {
				return locks, err
			}
		}
		current, err := r.Ref(u.Name)
		if err != nil {
			return locks, err
		}
		if current != u.Old {
			return locks, fmt.Errorf("%s is at %s, expected %s: %w", u.Name, current, u.Old, ErrRefMoved)
		}
	}
	return locks, nil
}

// moveLocked writes each lock's value into it and renames it over its ref.
// The refs are synced at the next checkpoint; until then the journal has
// their new values.
func (r *Repo) moveLocked(locks []*refLock) error {
	for _, l := range locks {
		if err := l.write(l.value); err != nil {
			return err
		}
		if err := l.file.Close(); err != nil {
			return err
		}
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

// refLock is a ref's lock file, held until the ref is moved to value.
type refLock struct {
	name      plumbing.ReferenceName
	ref, path string
	file      *os.File
	value     plumbing.Hash
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
	return &refLock{name: name, ref: ref, path: ref + ".lock", file: f}, nil
}

// write puts h into the lock file in place: every hash has the same
// length, so a reader never sees it short.
func (l *refLock) write(h plumbing.Hash) error {
	_, err := l.file.WriteAt([]byte(h.String()+"\n"), 0)
	return err
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

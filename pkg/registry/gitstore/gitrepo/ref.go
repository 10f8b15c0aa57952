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
// exist. Loose refs win over packed-refs, as in git.
func (r *Repo) Ref(name plumbing.ReferenceName) (plumbing.Hash, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
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
// Before any ref moves, the objects written since the last update go to disk
// as one pack, and the pack and the moves are journaled (see journal.go), so
// a returned nil means the update survives a crash.
func (r *Repo) UpdateRefs(updates ...RefUpdate) error {
	r.updating.Lock()
	defer r.updating.Unlock()
	locks, err := r.lockRefs(updates)
	defer releaseAll(locks)
	if err != nil {
		return err
	}
	pack, err := r.flush()
	if err != nil {
		return err
	}
	if err := r.journal.append(journalRecord{pack: pack, updates: updates}); err != nil {
		return fmt.Errorf("journaling the update of %s: %w", updates[0].Name, err)
	}
	if err := r.moveLocked(locks); err != nil {
		return err
	}
	r.requestMerge()
	return nil
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

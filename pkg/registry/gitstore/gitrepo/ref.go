package gitrepo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/go-git/go-git/v5/plumbing"
)

// ErrRefMoved is returned by UpdateRef when the ref no longer holds the
// expected value: someone else (usually a git push) moved it first.
var ErrRefMoved = errors.New("ref moved")

// ErrRefLocked is returned when another writer holds the ref's lock file.
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

// UpdateRef moves name from old to new atomically and durably, with the same
// lock-file protocol as git, so it is mutually exclusive with git push.
// Objects the new commit needs must already be synced (see Sync).
func (r *Repo) UpdateRef(name plumbing.ReferenceName, old, new plumbing.Hash) error {
	refPath := filepath.Join(r.path, filepath.FromSlash(name.String()))
	if err := os.MkdirAll(filepath.Dir(refPath), 0o755); err != nil {
		return err
	}
	lockPath := refPath + ".lock"
	lock, err := os.OpenFile(lockPath, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if os.IsExist(err) {
		return fmt.Errorf("%s: %w", name, ErrRefLocked)
	}
	if err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			lock.Close()
			os.Remove(lockPath)
		}
	}()
	current, err := r.Ref(name)
	if err != nil {
		return err
	}
	if current != old {
		return fmt.Errorf("%s is at %s, expected %s: %w", name, current, old, ErrRefMoved)
	}
	if _, err := lock.WriteString(new.String() + "\n"); err != nil {
		return err
	}
	if err := lock.Sync(); err != nil {
		return err
	}
	if err := lock.Close(); err != nil {
		return err
	}
	if err := os.Rename(lockPath, refPath); err != nil {
		return err
	}
	committed = true
	return syncDir(filepath.Dir(refPath))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

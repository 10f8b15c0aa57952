package gitrepo

import (
	"os"
	"path/filepath"
)

// replay redoes what the journal holds: it rewrites each journaled pack
// that is missing or cut short, and moves each ref that a record moved and
// that still stands where the record found it, in order. Then it syncs all
// that and empties the journal. After a process crash nothing is to redo;
// after a power loss the pack folder and the refs may have lost the newest
// writes, which the journal still has.
func (r *Repo) replay(records []journalRecord) error {
	if len(records) == 0 {
		return nil
	}
	var written []string
	for _, rec := range records {
		if !rec.pack.name.IsZero() && !r.hasPackFiles(rec.pack) {
			if err := r.writePack(rec.pack); err != nil {
				return err
			}
			written = append(written, r.packFiles(rec.pack.name)...)
		}
		for _, u := range rec.updates {
			if err := r.redo(u); err != nil {
				return err
			}
		}
	}
	r.reindex()
	return r.journal.checkpoint(written)
}

// hasPackFiles reports whether the pack and its index are on disk whole.
func (r *Repo) hasPackFiles(w writtenPack) bool {
	base := r.packBase(w.name)
	pack, err1 := os.Stat(base + ".pack")
	idx, err2 := os.Stat(base + ".idx")
	return err1 == nil && err2 == nil && pack.Size() == int64(len(w.pack)) && idx.Size() == int64(len(w.idx))
}

// redo moves a ref as u did, if the ref is still at u.Old. A ref file that
// does not read (a power loss can leave it empty) is taken as not moved. A
// lock file is one a crash left: the journal's refs are written by this
// process only, which is still opening.
func (r *Repo) redo(u RefUpdate) error {
	ref := filepath.Join(r.path, filepath.FromSlash(u.Name.String()))
	current, err := r.Ref(u.Name)
	if err != nil {
		if err := os.Remove(ref); err != nil {
			return err
		}
		if current, err = r.Ref(u.Name); err != nil {
			return err
		}
	} else if current != u.Old {
		return nil // it moved on: the record, or one after it, was already done
	}
	if err := os.Remove(ref + ".lock"); err != nil && !os.IsNotExist(err) {
		return err
	}
	locks, err := r.lockRefs([]RefUpdate{{Name: u.Name, Old: current, New: u.New}})
	defer releaseAll(locks)
	if err != nil {
		return err
	}
	return r.moveLocked(locks)
}

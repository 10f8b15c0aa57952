package gitrepo

import (
	"compress/zlib"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
)

// store writes obj as a loose object, as git does: zlib of "<type> <size>\0"
// and the content, written to a temporary file and renamed into place, so a
// crash never leaves half an object. An object already on disk is kept.
// Durability comes later, from one Sync for all objects of a commit.
func (r *Repo) store(obj plumbing.EncodedObject) (plumbing.Hash, error) {
	h := obj.Hash()
	hex := h.String()
	dir := filepath.Join(r.path, "objects", hex[:2])
	final := filepath.Join(dir, hex[2:])
	if _, err := os.Stat(final); err == nil {
		return h, nil
	}
	if _, known := r.objectDirs.Load(hex[:2]); !known {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return plumbing.ZeroHash, err
		}
		r.objectDirs.Store(hex[:2], true)
	}
	tmp, err := os.CreateTemp(dir, "tmp_obj_")
	if err != nil {
		return plumbing.ZeroHash, err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if err := writeLoose(tmp, obj); err != nil {
		tmp.Close()
		return plumbing.ZeroHash, fmt.Errorf("writing object %s: %w", h, err)
	}
	if err := tmp.Close(); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := os.Chmod(tmp.Name(), 0o444); err != nil {
		return plumbing.ZeroHash, err
	}
	return h, os.Rename(tmp.Name(), final)
}

// zlibWriters are reused: a new compressor allocates about a megabyte.
var zlibWriters = sync.Pool{New: func() any {
	zw, _ := zlib.NewWriterLevel(io.Discard, zlib.BestSpeed)
	return zw
}}

func writeLoose(w io.Writer, obj plumbing.EncodedObject) error {
	zw := zlibWriters.Get().(*zlib.Writer)
	defer zlibWriters.Put(zw)
	zw.Reset(w)
	if _, err := fmt.Fprintf(zw, "%s %d\x00", obj.Type(), obj.Size()); err != nil {
		return err
	}
	rd, err := obj.Reader()
	if err != nil {
		return err
	}
	defer rd.Close()
	if _, err := io.Copy(zw, rd); err != nil {
		return err
	}
	return zw.Close()
}

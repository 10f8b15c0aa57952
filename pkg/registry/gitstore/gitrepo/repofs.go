package gitrepo

import (
	"bufio"
	"errors"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/go-git/go-billy/v5"
)

// repoFS is the repository's file system as go-git sees it, changed in two
// ways that matter while packs are written and merged next to its readers.
type repoFS struct{ billy.Filesystem }

// Open reads pack indexes through a buffer: go-git decodes an index a few
// bytes per read, which on a plain file is a system call each, and it reads
// every index again whenever the packs change.
func (r repoFS) Open(name string) (billy.File, error) {
	f, err := r.Filesystem.Open(name)
	if err != nil || !strings.HasSuffix(name, ".idx") {
		return f, err
	}
	return &bufferedFile{File: f, r: bufio.NewReaderSize(f, 64*1024)}, nil
}

// ReadDir skips entries that vanish while the folder is read. Packs are
// written as temporary files renamed into place, and billy's ReadDir fails
// on a name gone before it was stat'ed; go-git then keeps an index with no
// packs in it until the next reindex, and finds no packed object.
func (r repoFS) ReadDir(name string) ([]fs.FileInfo, error) {
	entries, err := os.ReadDir(r.Join(r.Root(), name))
	if err != nil {
		return nil, err
	}
	infos := make([]fs.FileInfo, 0, len(entries))
	for _, e := range entries {
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		infos = append(infos, info)
	}
	return infos, nil
}

type bufferedFile struct {
	billy.File
	r *bufio.Reader
}

func (f *bufferedFile) Read(p []byte) (int, error) { return f.r.Read(p) }

// Seek drops the buffer; a seek from the current offset counts from what
// the reader has been given, not from what the buffer has read ahead.
func (f *bufferedFile) Seek(offset int64, whence int) (int64, error) {
	if whence == io.SeekCurrent {
		offset -= int64(f.r.Buffered())
	}
	n, err := f.File.Seek(offset, whence)
	f.r.Reset(f.File)
	return n, err
}

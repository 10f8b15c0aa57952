package artifact

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Exclude says whether a file or directory (a slash-separated path relative
// to the archived directory) stays out of an archive; an excluded directory
// is not descended into.
type Exclude func(relPath string, isDir bool) bool

// archiveTime is the modification time of every entry, so that the same
// files always make the same bytes and so the same digest.
var archiveTime = time.Unix(0, 0)

// writeArchive writes dir as a tar.gz to w. Only regular files and
// directories are archived: symlinks could point outside the checkout.
func writeArchive(w io.Writer, dir string, exclude Exclude) error {
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	err := filepath.WalkDir(dir, func(path string, entry fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil || rel == "." {
			return err
		}
		rel = filepath.ToSlash(rel)
		if exclude != nil && exclude(rel, entry.IsDir()) {
			if entry.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !entry.IsDir() && !entry.Type().IsRegular() {
			return nil
		}
		info, err := entry.Info()
		if err != nil {
			return err
		}
		return addEntry(tw, path, rel, info)
	})
	if err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

// addEntry writes one file or directory with normalised metadata: no
// owner, a fixed time and 0755/0644 permissions.
func addEntry(tw *tar.Writer, path, name string, info fs.FileInfo) error {
	header := &tar.Header{Name: name, ModTime: archiveTime, Format: tar.FormatPAX}
	if info.IsDir() {
		header.Typeflag = tar.TypeDir
		header.Name += "/"
		header.Mode = 0o755
		return tw.WriteHeader(header)
	}
	header.Typeflag = tar.TypeReg
	header.Size = info.Size()
	header.Mode = 0o644
	if info.Mode()&0o111 != 0 {
		header.Mode = 0o755
	}
	if err := tw.WriteHeader(header); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.CopyN(tw, f, info.Size()); err != nil {
		return fmt.Errorf("archiving %s: %w", name, err)
	}
	return nil
}

// digestWriter counts and hashes what passes through it.
type digestWriter struct {
	w    io.Writer
	hash hash.Hash
	size int64
}

func newDigestWriter(w io.Writer) *digestWriter {
	return &digestWriter{w: w, hash: sha256.New()}
}

func (d *digestWriter) Write(p []byte) (int, error) {
	n, err := d.w.Write(p)
	d.hash.Write(p[:n])
	d.size += int64(n)
	return n, err
}

// digest is the '<algorithm>:<hex>' form Flux's artifacts carry.
func (d *digestWriter) digest() string {
	return "sha256:" + hex.EncodeToString(d.hash.Sum(nil))
}

package artifact

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Extract writes the files of the artifact at rel that lie under fromPath
// into dest, as ExtractArchive does.
func (s *Storage) Extract(rel, fromPath, dest string) error {
	f, err := s.Open(rel)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := ExtractArchive(f, fromPath, dest); err != nil {
		return fmt.Errorf("artifact %s: %w", rel, err)
	}
	return nil
}

// ExtractArchive writes the files of the tar.gz archive r that lie under
// fromPath (slash-separated; "" or "." for all) into dest, keeping their
// paths below fromPath. Entries that would land outside dest are refused.
func ExtractArchive(r io.Reader, fromPath, dest string) error {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return err
	}
	prefix := strings.Trim(path.Clean("/"+fromPath), "/")
	tr := tar.NewReader(gz)
	for {
		header, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		name := path.Clean("/" + header.Name)[1:]
		if prefix != "" {
			var ok bool
			if name, ok = strings.CutPrefix(name, prefix); !ok || (name != "" && name[0] != '/') {
				continue
			}
			name = strings.TrimPrefix(name, "/")
		}
		if name == "" {
			continue
		}
		target := filepath.Join(dest, filepath.FromSlash(name))
		switch header.Typeflag {
		case tar.TypeDir:
			err = os.MkdirAll(target, 0o755)
		case tar.TypeReg:
			err = writeFile(target, tr, header.FileInfo().Mode().Perm())
		}
		if err != nil {
			return err
		}
	}
}

func writeFile(target string, r io.Reader, mode os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, r)
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	return err
}

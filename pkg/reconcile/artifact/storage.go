// Package artifact keeps the tarballs source reconcilers produce on the
// server's volume, as Flux's source-controller does, and garbage-collects
// the old ones.
package artifact

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Storage is a folder of artifacts laid out as <kind>/<namespace>/<name>/<file>.
type Storage struct {
	// Root is the folder; it is created when missing.
	Root string
	// Keep is how many artifacts of one object are kept, the newest
	// included; at least 1.
	Keep int
}

// Stored describes an archived artifact.
type Stored struct {
	// Path is relative to the storage root, with slashes.
	Path   string
	Digest string
	Size   int64
}

// Archive writes dir, minus what exclude leaves out, as the tar.gz
// <kind>/<namespace>/<name>/<fileName>. The file appears complete or not at
// all, so a reader never sees half an artifact.
func (s *Storage) Archive(kind, namespace, name, fileName, dir string, exclude Exclude) (Stored, error) {
	return s.write(kind, namespace, name, fileName, func(w io.Writer) error {
		return writeArchive(w, dir, exclude)
	})
}

// Store copies r as the file <kind>/<namespace>/<name>/<fileName>, for
// artifacts that are a file already (a Helm index, a packaged chart). Like
// Archive, the file appears complete or not at all.
func (s *Storage) Store(kind, namespace, name, fileName string, r io.Reader) (Stored, error) {
	return s.write(kind, namespace, name, fileName, func(w io.Writer) error {
		_, err := io.Copy(w, r)
		return err
	})
}

// write writes the artifact through a temporary file renamed into place.
func (s *Storage) write(kind, namespace, name, fileName string, content func(io.Writer) error) (Stored, error) {
	rel := path.Join(objectDir(kind, namespace, name), fileName)
	target, err := s.localPath(rel)
	if err != nil {
		return Stored{}, err
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return Stored{}, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), ".archive-*")
	if err != nil {
		return Stored{}, err
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	digest := newDigestWriter(tmp)
	err = content(digest)
	if err == nil {
		err = tmp.Sync()
	}
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), target)
	}
	if err != nil {
		return Stored{}, fmt.Errorf("storing artifact %s: %w", rel, err)
	}
	return Stored{Path: rel, Digest: digest.digest(), Size: digest.size}, nil
}

// Exists reports whether the artifact at rel is on disk.
func (s *Storage) Exists(rel string) bool {
	p, err := s.localPath(rel)
	if err != nil {
		return false
	}
	info, err := os.Stat(p)
	return err == nil && info.Mode().IsRegular()
}

// BelongsTo reports whether rel is an artifact of the named object, so that
// a status pointing elsewhere (written by hand) serves nothing of another's.
func BelongsTo(rel, kind, namespace, name string) bool {
	dir, file := path.Split(rel)
	return dir == objectDir(kind, namespace, name)+"/" && file != "" && !strings.HasPrefix(file, ".")
}

// Open opens the artifact at rel for reading.
func (s *Storage) Open(rel string) (*os.File, error) {
	p, err := s.localPath(rel)
	if err != nil {
		return nil, err
	}
	return os.Open(p)
}

// GarbageCollect removes the artifacts of one object beyond the newest
// Keep, never the one at current.
func (s *Storage) GarbageCollect(kind, namespace, name, current string) error {
	dir, err := s.localPath(objectDir(kind, namespace, name))
	if err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	type file struct {
		name    string
		modTime int64
	}
	var files []file
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		files = append(files, file{e.Name(), info.ModTime().UnixNano()})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].modTime > files[j].modTime })
	keep := max(s.Keep, 1)
	var errs []error
	for i, f := range files {
		if i < keep || path.Join(objectDir(kind, namespace, name), f.name) == current {
			continue
		}
		if err := os.Remove(filepath.Join(dir, f.name)); err != nil && !os.IsNotExist(err) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// RemoveAll removes every artifact of one object, for when it is deleted.
func (s *Storage) RemoveAll(kind, namespace, name string) error {
	dir, err := s.localPath(objectDir(kind, namespace, name))
	if err != nil {
		return err
	}
	return os.RemoveAll(dir)
}

// Object names an object that has artifacts.
type Object struct{ Namespace, Name string }

// Objects lists the objects of kind that have artifacts, for finding those
// whose object was deleted while the server was down.
func (s *Storage) Objects(kind string) ([]Object, error) {
	kindDir := filepath.Join(s.Root, strings.ToLower(kind))
	namespaces, err := os.ReadDir(kindDir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var objects []Object
	for _, ns := range namespaces {
		if !ns.IsDir() {
			continue
		}
		names, err := os.ReadDir(filepath.Join(kindDir, ns.Name()))
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			if name.IsDir() {
				objects = append(objects, Object{ns.Name(), name.Name()})
			}
		}
	}
	return objects, nil
}

func objectDir(kind, namespace, name string) string {
	return path.Join(strings.ToLower(kind), namespace, name)
}

// localPath turns a relative artifact path into one under Root, refusing
// anything that would leave it (a status edited by hand could say "../").
func (s *Storage) localPath(rel string) (string, error) {
	clean := path.Clean("/" + rel)
	if clean == "/" || clean != "/"+rel {
		return "", fmt.Errorf("artifact path %q is not a clean relative path", rel)
	}
	return filepath.Join(s.Root, filepath.FromSlash(clean[1:])), nil
}

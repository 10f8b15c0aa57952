package build

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// rootedFS is the on-disk file system kustomize builds with, confined to the
// source artifact: every path is checked, after resolving symlinks, to stay
// inside root. Kustomize's own load restrictions only confine files to each
// kustomization's directory, not the bases it names (../../anything), and
// they follow symlinks; Flux confines the whole build to the artifact the
// same way.
type rootedFS struct {
	filesys.FileSystem
	root string
}

func newRootedFS(root string) *rootedFS {
	return &rootedFS{FileSystem: filesys.MakeFsOnDisk(), root: root}
}

// check returns an error when path, or what its symlinks lead to, is outside
// root. A path that does not exist yet is checked as written.
func (fs *rootedFS) check(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	if !within(fs.root, abs) {
		// Named relative to root, so the server's directories stay private.
		return fmt.Errorf("%s: %w", relative(fs.root, abs), errOutsideRoot)
	}
	return nil
}

var errOutsideRoot = errors.New("path is outside the source artifact")

func (fs *rootedFS) Create(path string) (filesys.File, error) {
	if err := fs.check(path); err != nil {
		return nil, err
	}
	return fs.FileSystem.Create(path)
}

func (fs *rootedFS) Open(path string) (filesys.File, error) {
	if err := fs.check(path); err != nil {
		return nil, err
	}
	return fs.FileSystem.Open(path)
}

func (fs *rootedFS) ReadFile(path string) ([]byte, error) {
	if err := fs.check(path); err != nil {
		return nil, err
	}
	return fs.FileSystem.ReadFile(path)
}

func (fs *rootedFS) WriteFile(path string, data []byte) error {
	if err := fs.check(path); err != nil {
		return err
	}
	return fs.FileSystem.WriteFile(path, data)
}

func (fs *rootedFS) ReadDir(path string) ([]string, error) {
	if err := fs.check(path); err != nil {
		return nil, err
	}
	return fs.FileSystem.ReadDir(path)
}

func (fs *rootedFS) CleanedAbs(path string) (filesys.ConfirmedDir, string, error) {
	if err := fs.check(path); err != nil {
		return "", "", err
	}
	return fs.FileSystem.CleanedAbs(path)
}

func (fs *rootedFS) Walk(path string, walkFn filepath.WalkFunc) error {
	if err := fs.check(path); err != nil {
		return err
	}
	return fs.FileSystem.Walk(path, walkFn)
}

// Exists and IsDir answer false outside root, so that kustomize reports the
// path as missing rather than reading it.
func (fs *rootedFS) Exists(path string) bool {
	return fs.check(path) == nil && fs.FileSystem.Exists(path)
}

func (fs *rootedFS) IsDir(path string) bool {
	return fs.check(path) == nil && fs.FileSystem.IsDir(path)
}

// Glob keeps only the matches inside root.
func (fs *rootedFS) Glob(pattern string) ([]string, error) {
	matches, err := fs.FileSystem.Glob(pattern)
	if err != nil {
		return nil, err
	}
	var inside []string
	for _, m := range matches {
		if fs.check(m) == nil {
			inside = append(inside, m)
		}
	}
	return inside, nil
}

// The remaining writers are refused outright: a build never needs them.
func (fs *rootedFS) Mkdir(path string) error     { return refuse(path) }
func (fs *rootedFS) MkdirAll(path string) error  { return refuse(path) }
func (fs *rootedFS) RemoveAll(path string) error { return refuse(path) }

func refuse(path string) error {
	return &os.PathError{Op: "write", Path: path, Err: os.ErrPermission}
}

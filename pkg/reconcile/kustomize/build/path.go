package build

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// resolveDir returns the real path of the directory spec.path names inside
// root, with symlinks resolved, and refuses one that leads out of root.
func resolveDir(root, specPath string) (string, error) {
	if specPath == "" {
		specPath = "./"
	}
	dir, err := filepath.EvalSymlinks(filepath.Join(root, filepath.FromSlash(specPath)))
	if os.IsNotExist(err) {
		return "", fmt.Errorf("spec.path %q: directory not found in the source artifact", specPath)
	}
	if err != nil {
		return "", fmt.Errorf("spec.path %q: %w", specPath, relativeError(root, err))
	}
	if !within(root, dir) {
		return "", fmt.Errorf("spec.path %q points outside the source artifact", specPath)
	}
	info, err := os.Stat(dir)
	if err != nil {
		return "", fmt.Errorf("spec.path %q: %w", specPath, relativeError(root, err))
	}
	if !info.IsDir() {
		return "", fmt.Errorf("spec.path %q is not a directory", specPath)
	}
	return dir, nil
}

// within reports whether path is root or below it; both must be clean and
// absolute.
func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// relativeError rewrites the absolute paths in err's message relative to
// root, so that messages name files as the source repository does and never
// the server's own directories.
func relativeError(root string, err error) error {
	msg := strings.ReplaceAll(err.Error(), root+string(filepath.Separator), "")
	return fmt.Errorf("%s", strings.ReplaceAll(msg, root, "."))
}

package artifact

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func filesUnder(t *testing.T, dir string) string {
	t.Helper()
	var files []string
	filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			data, _ := os.ReadFile(p)
			files = append(files, filepath.ToSlash(rel)+"="+string(data))
		}
		return nil
	})
	sort.Strings(files)
	return strings.Join(files, ",")
}

func TestExtractCopiesThePartUnderFromPath(t *testing.T) {
	src := t.TempDir()
	writeFiles(t, src, map[string]string{"base/a.yaml": "a", "base/sub/b.yaml": "b", "basement/c.yaml": "c", "d.yaml": "d"})
	s := &Storage{Root: t.TempDir()}
	stored, err := s.Archive("GitRepository", "ns", "lib", "1.tar.gz", src, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ fromPath, want string }{
		{"", "base/a.yaml=a,base/sub/b.yaml=b,basement/c.yaml=c,d.yaml=d"},
		{"./base", "a.yaml=a,sub/b.yaml=b"},
		{"base/sub/", "b.yaml=b"},
	} {
		dest := t.TempDir()
		if err := s.Extract(stored.Path, tc.fromPath, dest); err != nil {
			t.Fatal(err)
		}
		if got := filesUnder(t, dest); got != tc.want {
			t.Errorf("fromPath %q extracted %s, want %s", tc.fromPath, got, tc.want)
		}
	}
}

package artifact

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
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

func TestExtractArchiveKeepsEveryEntryInsideDest(t *testing.T) {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, h := range []*tar.Header{
		{Name: "app.yaml", Typeflag: tar.TypeReg, Size: 1, Mode: 0o644},
		{Name: "../escape.yaml", Typeflag: tar.TypeReg, Size: 1, Mode: 0o644},
		{Name: "/etc/abs.yaml", Typeflag: tar.TypeReg, Size: 1, Mode: 0o644},
		{Name: "link", Typeflag: tar.TypeSymlink, Linkname: "/etc/passwd"},
	} {
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Size > 0 {
			tw.Write([]byte("x"))
		}
	}
	tw.Close()
	gz.Close()
	parent := t.TempDir()
	dest := filepath.Join(parent, "dest")
	if err := ExtractArchive(&buf, "", dest); err != nil {
		t.Fatal(err)
	}
	// Paths are cleaned as if rooted at dest; symlinks are not written.
	if got := filesUnder(t, parent); got != "dest/app.yaml=x,dest/escape.yaml=x,dest/etc/abs.yaml=x" {
		t.Errorf("extracted %s", got)
	}
}

func TestExtractArchiveRefusesWhatIsNotGzip(t *testing.T) {
	if err := ExtractArchive(strings.NewReader("plain text"), "", t.TempDir()); err == nil {
		t.Error("plain text extracted without an error")
	}
}

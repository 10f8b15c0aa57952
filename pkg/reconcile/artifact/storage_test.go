package artifact

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// archivedFiles lists the regular files of a tar.gz with their contents.
func archivedFiles(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			data, _ := io.ReadAll(tr)
			files[h.Name] = string(data)
		}
	}
}

func TestArchiveLeavesOutExcludedFilesAndRecordsDigestAndSize(t *testing.T) {
	src := t.TempDir()
	writeFiles(t, src, map[string]string{
		"deploy/app.yaml": "kind: Deployment",
		"README.md":       "hello",
		".git/HEAD":       "ref: refs/heads/main",
	})
	s := &Storage{Root: t.TempDir(), Keep: 2}
	stored, err := s.Archive("GitRepository", "ns", "app", "abc.tar.gz", src, func(rel string, isDir bool) bool {
		return rel == ".git" || rel == "README.md"
	})
	if err != nil {
		t.Fatal(err)
	}
	if stored.Path != "gitrepository/ns/app/abc.tar.gz" {
		t.Errorf("path %q", stored.Path)
	}
	local := filepath.Join(s.Root, filepath.FromSlash(stored.Path))
	data, err := os.ReadFile(local)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if want := "sha256:" + hex.EncodeToString(sum[:]); stored.Digest != want || stored.Size != int64(len(data)) {
		t.Errorf("stored digest %s size %d, file has %s and %d bytes", stored.Digest, stored.Size, want, len(data))
	}
	got := archivedFiles(t, local)
	if len(got) != 1 || got["deploy/app.yaml"] != "kind: Deployment" {
		t.Errorf("archive holds %v, want only deploy/app.yaml", got)
	}
}

func TestArchiveOfSameFilesHasSameDigest(t *testing.T) {
	src := t.TempDir()
	writeFiles(t, src, map[string]string{"a.yaml": "a", "b/c.yaml": "c"})
	s := &Storage{Root: t.TempDir()}
	first, err := s.Archive("GitRepository", "ns", "app", "1.tar.gz", src, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A later checkout of the same revision has other file times.
	later := time.Now().Add(time.Hour)
	os.Chtimes(filepath.Join(src, "a.yaml"), later, later)
	second, err := s.Archive("GitRepository", "ns", "app", "2.tar.gz", src, nil)
	if err != nil {
		t.Fatal(err)
	}
	if first.Digest != second.Digest {
		t.Errorf("same files archived twice: %s then %s", first.Digest, second.Digest)
	}
}

func TestGarbageCollectKeepsNewestAndCurrent(t *testing.T) {
	src := t.TempDir()
	writeFiles(t, src, map[string]string{"a": "a"})
	s := &Storage{Root: t.TempDir(), Keep: 2}
	start := time.Now().Add(-time.Hour)
	for i, name := range []string{"1.tar.gz", "2.tar.gz", "3.tar.gz", "4.tar.gz"} {
		stored, err := s.Archive("GitRepository", "ns", "app", name, src, nil)
		if err != nil {
			t.Fatal(err)
		}
		when := start.Add(time.Duration(i) * time.Minute)
		os.Chtimes(filepath.Join(s.Root, stored.Path), when, when)
	}
	// The status may still name an older one, for example after a failed
	// status write; that one stays too.
	if err := s.GarbageCollect("GitRepository", "ns", "app", "gitrepository/ns/app/1.tar.gz"); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Join(s.Root, "gitrepository", "ns", "app"))
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	sort.Strings(left)
	if got := strings.Join(left, ","); got != "1.tar.gz,3.tar.gz,4.tar.gz" {
		t.Errorf("left after garbage collection: %s", got)
	}
}

func TestPathsOutsideTheRootAreRefused(t *testing.T) {
	s := &Storage{Root: t.TempDir()}
	for _, rel := range []string{"../etc/passwd", "/etc/passwd", "a/../../b", ""} {
		if _, err := s.Open(rel); err == nil || os.IsNotExist(err) {
			t.Errorf("Open(%q) = %v, want a refusal", rel, err)
		}
	}
}

func TestRemoveAllDropsTheObjectsArtifacts(t *testing.T) {
	src := t.TempDir()
	writeFiles(t, src, map[string]string{"a": "a"})
	s := &Storage{Root: t.TempDir()}
	stored, err := s.Archive("GitRepository", "ns", "app", "1.tar.gz", src, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveAll("GitRepository", "ns", "app"); err != nil {
		t.Fatal(err)
	}
	if s.Exists(stored.Path) {
		t.Errorf("%s still exists", stored.Path)
	}
}

func TestObjectsListsWhatHasArtifacts(t *testing.T) {
	src := t.TempDir()
	writeFiles(t, src, map[string]string{"a": "a"})
	s := &Storage{Root: t.TempDir()}
	if objects, err := s.Objects("GitRepository"); err != nil || len(objects) != 0 {
		t.Fatalf("empty storage lists %v, %v", objects, err)
	}
	for _, o := range []Object{{"ns1", "a"}, {"ns1", "b"}, {"ns2", "a"}} {
		if _, err := s.Archive("GitRepository", o.Namespace, o.Name, "1.tar.gz", src, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Archive("Bucket", "ns1", "c", "1.tar.gz", src, nil); err != nil {
		t.Fatal(err)
	}
	objects, err := s.Objects("GitRepository")
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(objects); got != "[{ns1 a} {ns1 b} {ns2 a}]" {
		t.Errorf("objects with artifacts: %s", got)
	}
}

func TestBelongsToOnlyTheObjectsOwnFolder(t *testing.T) {
	for _, tc := range []struct {
		rel  string
		want bool
	}{
		{"gitrepository/ns/app/abc.tar.gz", true},
		{"gitrepository/ns/other/abc.tar.gz", false},
		{"gitrepository/other-ns/app/abc.tar.gz", false},
		{"bucket/ns/app/abc.tar.gz", false},
		{"gitrepository/ns/app/.archive-123", false},
		{"gitrepository/ns/app/", false},
	} {
		if got := BelongsTo(tc.rel, "GitRepository", "ns", "app"); got != tc.want {
			t.Errorf("BelongsTo(%q) = %v, want %v", tc.rel, got, tc.want)
		}
	}
}

func TestStoreKeepsTheBytesAndRecordsDigestAndSize(t *testing.T) {
	s := &Storage{Root: t.TempDir(), Keep: 1}
	content := "apiVersion: v1\nentries: {}\n"
	stored, err := s.Store("HelmRepository", "ns", "charts", "index-1.yaml", strings.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(content))
	if stored.Path != "helmrepository/ns/charts/index-1.yaml" || stored.Size != int64(len(content)) ||
		stored.Digest != "sha256:"+hex.EncodeToString(sum[:]) {
		t.Errorf("stored %+v", stored)
	}
	data, err := os.ReadFile(filepath.Join(s.Root, filepath.FromSlash(stored.Path)))
	if err != nil || string(data) != content {
		t.Errorf("file holds %q (%v), want %q", data, err, content)
	}
}

// Package artifacttest reads what the reconcilers stored, for their tests.
package artifacttest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"testing"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/artifact"
)

// Read returns the stored file of a and its digest, spelled as
// status.artifact.digest spells it.
func Read(t testing.TB, storage *artifact.Storage, a *v1alpha1.Artifact) ([]byte, string) {
	t.Helper()
	if a == nil {
		t.Fatal("no artifact")
	}
	f, err := storage.Open(a.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return data, "sha256:" + hex.EncodeToString(sum[:])
}

// Files returns the regular files of a tar.gz, by name.
func Files(t testing.TB, tarGz []byte) map[string]string {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(tarGz))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		content, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			files[h.Name] = string(content)
		}
	}
}

package sourceref

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFetchUnpacksTheArtifactOfTheDigestInStatus(t *testing.T) {
	ts := newTestSources(t)
	ref := ts.add(t, "podinfo", ts.store(t, "podinfo", map[string]string{"app.yaml": "kind: ConfigMap\n"}))
	want, err := ts.Artifact(ref)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := ts.Fetch(t.Context(), ref, want, dir); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "app.yaml")); err != nil || string(data) != "kind: ConfigMap\n" {
		t.Errorf("unpacked app.yaml: %q, %v", data, err)
	}
}

func TestFetchRefusesAnArtifactWithAnotherDigest(t *testing.T) {
	ts := newTestSources(t)
	stored := ts.store(t, "podinfo", map[string]string{"app.yaml": "kind: ConfigMap\n"})
	ref := ts.add(t, "podinfo", stored)
	// The status names an artifact the file no longer is: a newer one
	// replaced it, or it was tampered with.
	want := *stored
	want.Digest = "sha256:" + strings.Repeat("0", 64)
	dir := t.TempDir()
	err := ts.Fetch(t.Context(), ref, &want, dir)
	if err == nil || !strings.Contains(err.Error(), "artifact of GitRepository/apps/podinfo has digest "+stored.Digest+", status says "+want.Digest) {
		t.Errorf("got %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("a refused artifact was unpacked: %v", entries)
	}
}

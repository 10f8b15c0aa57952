package build

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

func TestBuildRefusesPathsOutsideTheArtifact(t *testing.T) {
	outside := writeTree(t, map[string]string{"cm.yaml": configMap})
	root := writeTree(t, map[string]string{"apps/cm.yaml": configMap})
	if err := os.Symlink(outside, filepath.Join(root, "escape")); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"../", "apps/../..", "escape"} {
		_, err := Build(context.Background(), Input{Root: root, Kustomization: kustomization(v1alpha1.KustomizationSpec{Path: path})})
		if err == nil || !strings.Contains(err.Error(), `spec.path "`+path+`"`) {
			t.Errorf("spec.path %q: err = %v, want one naming spec.path", path, err)
		}
	}
	_, err := Build(context.Background(), Input{Root: root, Kustomization: kustomization(v1alpha1.KustomizationSpec{Path: "missing"})})
	if err == nil || !strings.Contains(err.Error(), `spec.path "missing"`) {
		t.Errorf("missing spec.path: err = %v", err)
	}
}

func TestBuildRefusesBasesAndFilesOutsideTheArtifact(t *testing.T) {
	outside := writeTree(t, map[string]string{
		"base/kustomization.yaml": "resources: [cm.yaml]\n",
		"base/cm.yaml":            configMap,
	})
	cases := map[string]func(root string) string{
		"a base above the root": func(root string) string {
			rel, err := filepath.Rel(filepath.Join(root, "apps"), filepath.Join(outside, "base"))
			if err != nil {
				t.Fatal(err)
			}
			return "resources: [" + rel + "]\n"
		},
		"a symlink to a file outside": func(root string) string {
			if err := os.Symlink(filepath.Join(outside, "base", "cm.yaml"), filepath.Join(root, "apps", "link.yaml")); err != nil {
				t.Fatal(err)
			}
			return "resources: [link.yaml]\n"
		},
	}
	for name, kustomizationFor := range cases {
		t.Run(name, func(t *testing.T) {
			root := writeTree(t, map[string]string{"apps/.keep": ""})
			kfile := filepath.Join(root, "apps", "kustomization.yaml")
			if err := os.WriteFile(kfile, []byte(kustomizationFor(root)), 0o644); err != nil {
				t.Fatal(err)
			}
			objects, err := Build(context.Background(), Input{Root: root, Kustomization: kustomization(v1alpha1.KustomizationSpec{Path: "apps"})})
			if err == nil {
				t.Fatalf("Build read outside the artifact: %v", names(objects))
			}
			if !strings.Contains(err.Error(), "apps/kustomization.yaml") || !strings.Contains(err.Error(), "outside the source artifact") {
				t.Errorf("error %q does not name the kustomization file and the cause", err)
			}
			if strings.Contains(err.Error(), root) {
				t.Errorf("error %q shows the server's directory", err)
			}
		})
	}
}

func TestBuildRefusesRemoteResources(t *testing.T) {
	for _, remote := range []string{
		"https://github.com/org/repo//deploy?ref=v1",
		"https://example.com/manifest.yaml",
		"github.com/org/repo/deploy?ref=main",
		"git@github.com:org/repo.git",
	} {
		root := writeTree(t, map[string]string{
			"apps/kustomization.yaml":      "resources: [base]\n",
			"apps/base/kustomization.yaml": "resources: ['" + remote + "']\n",
		})
		_, err := Build(context.Background(), Input{Root: root, Kustomization: kustomization(v1alpha1.KustomizationSpec{Path: "apps"})})
		if err == nil || !strings.Contains(err.Error(), remote) || !strings.Contains(err.Error(), "apps/base/kustomization.yaml") {
			t.Errorf("remote %q: err = %v, want one naming it and its file", remote, err)
		}
	}
}

func TestIsRemoteLeavesLocalPathsAlone(t *testing.T) {
	for entry, want := range map[string]bool{
		"../base":                         false,
		"deploy.yaml":                     false,
		"dir/with:colon.yaml":             false,
		"team@v1/deploy.yaml":             false,
		"ssh://git@example.com/repo.git":  true,
		"git::https://example.com/repo":   true,
		"git@gitlab.example:group/repo":   true,
		"GitHub.com/org/repo/deploy?ref=": true,
	} {
		if got := isRemote(entry); got != want {
			t.Errorf("isRemote(%q) = %v, want %v", entry, got, want)
		}
	}
}

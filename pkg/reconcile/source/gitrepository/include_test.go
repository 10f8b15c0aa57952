package gitrepository

import (
	"os"
	"path/filepath"
	"testing"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

func TestIncludedArtifactIsCopiedToToPath(t *testing.T) {
	library := newRemoteRepo(t)
	library.commit(map[string]string{"base/lib.yaml": "lib", "README.md": "r"})
	r := newTestReconciler(t)
	lib := gitRepository(library.url(), &v1alpha1.GitRepositoryRef{Branch: "main"})
	lib.Name = "lib"
	if err := r.reconcileSteps(t.Context(), lib); err != nil {
		t.Fatal(err)
	}
	checkout := t.TempDir()
	for _, tc := range []struct {
		include v1alpha1.GitRepositoryInclude
		want    string
	}{
		{v1alpha1.GitRepositoryInclude{GitRepositoryRef: v1alpha1.LocalObjectReference{Name: "lib"}}, "lib/base/lib.yaml"},
		{v1alpha1.GitRepositoryInclude{GitRepositoryRef: v1alpha1.LocalObjectReference{Name: "lib"}, FromPath: "base", ToPath: "vendor/lib"}, "vendor/lib/lib.yaml"},
		{v1alpha1.GitRepositoryInclude{GitRepositoryRef: v1alpha1.LocalObjectReference{Name: "lib"}, ToPath: "../../escape"}, "escape/base/lib.yaml"},
	} {
		sources := []includedSource{{include: tc.include, artifact: *lib.Status.Artifact}}
		if err := r.copyIncludes(checkout, sources); err != nil {
			t.Fatal(err)
		}
		if data, err := os.ReadFile(filepath.Join(checkout, filepath.FromSlash(tc.want))); err != nil || string(data) != "lib" {
			t.Errorf("include %+v: %s: %q, %v", tc.include, tc.want, data, err)
		}
	}
	into := []includedSource{{include: v1alpha1.GitRepositoryInclude{GitRepositoryRef: v1alpha1.LocalObjectReference{Name: "lib"}, ToPath: "/"}, artifact: *lib.Status.Artifact}}
	if err := r.copyIncludes(checkout, into); err == nil {
		t.Error("an include replaced the whole checkout")
	}
}

func TestIncludesUpToDateFollowsTheIncludedDigest(t *testing.T) {
	obj := gitRepository("http://example.com/repo.git", nil)
	obj.Spec.Include = []v1alpha1.GitRepositoryInclude{{GitRepositoryRef: v1alpha1.LocalObjectReference{Name: "lib"}}}
	sources := []includedSource{{include: obj.Spec.Include[0], artifact: v1alpha1.Artifact{Digest: "sha256:1"}}}
	if includesUpToDate(obj, sources) {
		t.Error("an artifact built without includes is up to date with them")
	}
	obj.Status.ObservedInclude = obj.Spec.Include
	obj.Status.IncludedArtifacts = includedArtifacts(sources)
	if !includesUpToDate(obj, sources) {
		t.Error("an artifact built with the current includes is not up to date")
	}
	sources[0].artifact.Digest = "sha256:2"
	if includesUpToDate(obj, sources) {
		t.Error("a new artifact of an included GitRepository goes unnoticed")
	}
}

package gitrepository

import (
	"strings"
	"testing"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

func TestSubmodulesAreInTheArtifactWhenAskedFor(t *testing.T) {
	library := newRemoteRepo(t)
	library.commit(map[string]string{"lib.yaml": "kind: ConfigMap"})
	app := newRemoteRepo(t)
	app.commit(map[string]string{"app.yaml": "kind: Deployment"})
	// file:// submodules need git's permission since 2.38.
	app.git("-c", "protocol.file.allow=always", "submodule", "--quiet", "add", library.url(), "vendor/lib")
	app.git("commit", "--quiet", "-m", "add submodule")

	for _, recurse := range []bool{false, true} {
		r := newTestReconciler(t)
		obj := gitRepository(app.url(), &v1alpha1.GitRepositoryRef{Branch: "main"})
		obj.Spec.RecurseSubmodules = recurse
		if err := r.reconcileSteps(t.Context(), obj); err != nil {
			t.Fatalf("recurseSubmodules %v: %v", recurse, err)
		}
		_, files := storedFiles(t, r, obj)
		if _, ok := files["vendor/lib/lib.yaml"]; ok != recurse {
			t.Errorf("recurseSubmodules %v: artifact holds %v", recurse, files)
		}
		if obj.Status.ObservedRecurseSubmodules != recurse {
			t.Errorf("observedRecurseSubmodules %v, want %v", obj.Status.ObservedRecurseSubmodules, recurse)
		}
	}
}

func TestSparseCheckoutLimitsTheArtifact(t *testing.T) {
	remote := newRemoteRepo(t)
	remote.commit(map[string]string{"apps/a.yaml": "a", "infra/b.yaml": "b", "README.md": "r"})
	r := newTestReconciler(t)
	obj := gitRepository(remote.url(), &v1alpha1.GitRepositoryRef{Branch: "main"})
	obj.Spec.SparseCheckout = []string{"apps"}
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	if _, files := storedFiles(t, r, obj); len(files) != 1 || files["apps/a.yaml"] != "a" {
		t.Errorf("artifact of a sparse checkout of apps holds %v", files)
	}
	// A different set of directories makes a new artifact of the same revision.
	obj.Spec.SparseCheckout = []string{"infra"}
	if artifactUpToDate(obj, remoteRevision{label: "main", commit: mustHash(t, remote.git("rev-parse", "HEAD"))}) {
		t.Error("an artifact of other directories counts as up to date")
	}

	obj.Spec.SparseCheckout = []string{"missing"}
	if err := r.reconcileSteps(t.Context(), obj); err == nil {
		t.Error("a sparse checkout of a missing directory succeeded")
	}
}

func TestFileSubmodulesNeedFileURLsAllowed(t *testing.T) {
	library := newRemoteRepo(t)
	library.commit(map[string]string{"lib.yaml": "kind: ConfigMap"})
	app := newRemoteRepo(t)
	app.commit(map[string]string{"app.yaml": "kind: Deployment"})
	app.git("-c", "protocol.file.allow=always", "submodule", "--quiet", "add", library.url(), "vendor/lib")
	app.git("commit", "--quiet", "-m", "add submodule")
	dir, _ := checkoutOf(t, app, v1alpha1.GitRepositoryRef{Branch: "main"})
	err := updateSubmodules(t.Context(), dir, credentials{}, false)
	if err == nil || !strings.Contains(err.Error(), "--allow-file-urls") {
		t.Errorf("a file:// submodule on a server without --allow-file-urls: %v", err)
	}
}

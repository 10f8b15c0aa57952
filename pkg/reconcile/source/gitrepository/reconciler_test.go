package gitrepository

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/artifact/artifacttest"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// storedFiles returns the digest of obj's artifact file and the files in it.
func storedFiles(t *testing.T, r *Reconciler, obj *v1alpha1.GitRepository) (string, map[string]string) {
	t.Helper()
	data, digest := artifacttest.Read(t, r.Storage, obj.Status.Artifact)
	return digest, artifacttest.Files(t, data)
}

func TestBranchTipBecomesArtifactWithRevisionAndDigest(t *testing.T) {
	remote := newRemoteRepo(t)
	sha := remote.commit(map[string]string{"deploy/app.yaml": "kind: Deployment", "logo.png": "binary"})
	r := newTestReconciler(t)
	obj := gitRepository(remote.url(), &v1alpha1.GitRepositoryRef{Branch: "main"})

	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	a := obj.Status.Artifact
	if a == nil || a.Revision != "main@sha1:"+sha {
		t.Fatalf("artifact %+v, want revision main@sha1:%s", a, sha)
	}
	digest, files := storedFiles(t, r, obj)
	if a.Digest != digest {
		t.Errorf("status digest %s, file's %s", a.Digest, digest)
	}
	if a.URL != "/apis/gitops.io/v1alpha1/namespaces/ns/gitrepositories/app/artifact" {
		t.Errorf("artifact URL %s", a.URL)
	}
	// .git and, by default, images stay out.
	if len(files) != 1 || files["deploy/app.yaml"] != "kind: Deployment" {
		t.Errorf("artifact holds %v", files)
	}
}

func TestUnchangedRemoteIsNotDownloadedAgain(t *testing.T) {
	remote := newRemoteRepo(t)
	remote.commit(map[string]string{"a.yaml": "a"})
	r := newTestReconciler(t)
	obj := gitRepository(remote.url(), nil)
	obj.Spec.Reference = &v1alpha1.GitRepositoryRef{Branch: "main"}
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	first := *obj.Status.Artifact
	// Were the checkout archived again, the file would be replaced.
	path := filepath.Join(r.Storage.Root, first.Path)
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(path)
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(path)
	if !equality.Semantic.DeepEqual(*obj.Status.Artifact, first) || !os.SameFile(before, after) || after.Mode() != before.Mode() {
		t.Errorf("an unchanged remote made a new artifact: %+v, was %+v", *obj.Status.Artifact, first)
	}
}

func TestNewCommitMakesNewArtifactAndOldOnesAreCollected(t *testing.T) {
	remote := newRemoteRepo(t)
	remote.commit(map[string]string{"a.yaml": "1"})
	r := newTestReconciler(t)
	obj := gitRepository(remote.url(), &v1alpha1.GitRepositoryRef{Branch: "main"})
	var shas []string
	for i := range 4 {
		shas = append(shas, remote.commit(map[string]string{"a.yaml": strings.Repeat("x", i+2)}))
		if err := r.reconcileSteps(t.Context(), obj); err != nil {
			t.Fatal(err)
		}
		if want := "main@sha1:" + shas[i]; obj.Status.Artifact.Revision != want {
			t.Fatalf("revision %s after commit %d, want %s", obj.Status.Artifact.Revision, i, want)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(r.Storage.Root, "gitrepository", "ns", "app"))
	if len(entries) != r.Storage.Keep {
		t.Errorf("%d artifacts kept, want %d", len(entries), r.Storage.Keep)
	}
}

func TestMissingBranchFailsNamingTheBranch(t *testing.T) {
	remote := newRemoteRepo(t)
	remote.commit(map[string]string{"a.yaml": "a"})
	r := newTestReconciler(t)
	obj := gitRepository(remote.url(), &v1alpha1.GitRepositoryRef{Branch: "release"})
	err := r.reconcileSteps(t.Context(), obj)
	var se *outcome.Failure
	if !errors.As(err, &se) || se.Reason != v1alpha1.GitOperationFailedReason || !strings.Contains(err.Error(), "branch 'release' not found") {
		t.Fatalf("err %v, want GitOperationFailed naming branch 'release'", err)
	}
	if se.Stalled {
		t.Error("a missing branch stalls the object; it may be pushed later")
	}
}

func TestTagSemverAndCommitRevisions(t *testing.T) {
	remote := newRemoteRepo(t)
	first := remote.commit(map[string]string{"a.yaml": "1"})
	remote.git("tag", "-a", "v1.0.0", "-m", "one")
	second := remote.commit(map[string]string{"a.yaml": "2"})
	remote.git("tag", "v1.1.0")
	remote.commit(map[string]string{"a.yaml": "3"})
	remote.git("tag", "v2.0.0")

	for _, tc := range []struct {
		name string
		ref  v1alpha1.GitRepositoryRef
		want string
	}{
		{"annotated tag", v1alpha1.GitRepositoryRef{Tag: "v1.0.0"}, "v1.0.0@sha1:" + first},
		{"semver range", v1alpha1.GitRepositoryRef{SemVer: "~1"}, "v1.1.0@sha1:" + second},
		{"commit on branch", v1alpha1.GitRepositoryRef{Branch: "main", Commit: first}, "main@sha1:" + first},
		{"commit alone", v1alpha1.GitRepositoryRef{Commit: second}, "sha1:" + second},
		{"ref name", v1alpha1.GitRepositoryRef{Name: "refs/tags/v1.1.0"}, "refs/tags/v1.1.0@sha1:" + second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newTestReconciler(t)
			obj := gitRepository(remote.url(), &tc.ref)
			if err := r.reconcileSteps(t.Context(), obj); err != nil {
				t.Fatal(err)
			}
			if obj.Status.Artifact.Revision != tc.want {
				t.Errorf("revision %s, want %s", obj.Status.Artifact.Revision, tc.want)
			}
		})
	}
}

func TestInvalidURLStalls(t *testing.T) {
	r := newTestReconciler(t)
	for _, url := range []string{"ftp://example.com/repo.git", "http://", "file://"} {
		err := r.reconcileSteps(t.Context(), gitRepository(url, nil))
		var se *outcome.Failure
		if !errors.As(err, &se) || se.Reason != v1alpha1.URLInvalidReason || !se.Stalled {
			t.Errorf("%s: err %v, want a stalling URLInvalid", url, err)
		}
	}
}

func TestPasswordInURLIsNotShown(t *testing.T) {
	r := newTestReconciler(t)
	// Nothing listens on port 1.
	obj := gitRepository("http://user:s3cret@127.0.0.1:1/repo.git", nil)
	err := r.reconcileSteps(t.Context(), obj)
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("err %v: want a failure that does not show the password", err)
	}
}

func TestUnsupportedFieldsStallNamingTheField(t *testing.T) {
	r := newTestReconciler(t)
	for field, edit := range map[string]func(*v1alpha1.GitRepository){
		"spec.provider github": func(o *v1alpha1.GitRepository) { o.Spec.Provider = v1alpha1.GitProviderGitHub },
	} {
		obj := gitRepository("http://example.com/repo.git", nil)
		edit(obj)
		err := r.reconcileSteps(t.Context(), obj)
		var se *outcome.Failure
		if !errors.As(err, &se) || !se.Stalled || se.Reason != v1alpha1.NotSupportedReason || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: err %v, want a stalling NotSupported naming it", field, err)
		}
	}
}

func TestTimeoutEndsAHangingFetch(t *testing.T) {
	hang := make(chan struct{})
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	defer server.Close()
	defer close(hang)
	r := newTestReconciler(t)
	obj := gitRepository(server.URL+"/repo.git", nil)
	setTimeout(t, obj, "300ms")
	start := time.Now()
	err := r.reconcileSteps(t.Context(), obj)
	if err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Errorf("err %v, want a timeout", err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("a 300ms timeout took %v", took)
	}
}

func TestFileURLsNeedToBeAllowed(t *testing.T) {
	remote := newRemoteRepo(t)
	remote.commit(map[string]string{"a.yaml": "a"})
	r := newTestReconciler(t)
	r.AllowFileURLs = false
	err := r.reconcileSteps(t.Context(), gitRepository(remote.url(), nil))
	var se *outcome.Failure
	if !errors.As(err, &se) || !se.Stalled || se.Reason != v1alpha1.URLInvalidReason || !strings.Contains(err.Error(), "--allow-file-urls") {
		t.Errorf("err %v, want a stalling URLInvalid naming --allow-file-urls", err)
	}
}

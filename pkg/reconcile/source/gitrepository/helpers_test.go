package gitrepository

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/artifact"
)

// remoteRepo is a Git repository made with the git CLI, reached as file://.
type remoteRepo struct {
	t   *testing.T
	dir string
}

func newRemoteRepo(t *testing.T) *remoteRepo {
	t.Helper()
	r := &remoteRepo{t: t, dir: t.TempDir()}
	r.git("init", "--quiet", "--initial-branch=main")
	return r
}

func (r *remoteRepo) url() string { return "file://" + filepath.ToSlash(r.dir) }

func (r *remoteRepo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=test", "GIT_COMMITTER_EMAIL=test@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// commit writes files and commits them, returning the commit's SHA.
func (r *remoteRepo) commit(files map[string]string) string {
	r.t.Helper()
	for name, content := range files {
		p := filepath.Join(r.dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
	r.git("add", "-A")
	r.git("commit", "--quiet", "-m", "change")
	return r.git("rev-parse", "HEAD")
}

func newTestReconciler(t *testing.T) *Reconciler {
	// The tests' remotes are file:// repositories.
	return &Reconciler{Storage: &artifact.Storage{Root: t.TempDir(), Keep: 2}, AllowFileURLs: true}
}

func gitRepository(url string, ref *v1alpha1.GitRepositoryRef) *v1alpha1.GitRepository {
	obj := &v1alpha1.GitRepository{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "app", Generation: 1},
		Spec:       v1alpha1.GitRepositorySpec{URL: url, Reference: ref},
	}
	obj.Spec.Interval.Duration = time.Minute
	return obj
}

// setTimeout sets spec.timeout as a manifest would write it.
func setTimeout(t *testing.T, obj *v1alpha1.GitRepository, timeout string) {
	t.Helper()
	if err := json.Unmarshal([]byte(strconv.Quote(timeout)), &obj.Spec.Timeout); err != nil {
		t.Fatal(err)
	}
}

func mustHash(t *testing.T, sha string) plumbing.Hash {
	t.Helper()
	if !plumbing.IsHash(sha) {
		t.Fatalf("%q is not a SHA-1", sha)
	}
	return plumbing.NewHash(sha)
}

// reconcileSteps runs the steps on obj without writing its status.
func (r *Reconciler) reconcileSteps(ctx context.Context, obj *v1alpha1.GitRepository) error {
	_, err := r.Kind().RunSteps(ctx, obj)
	return err
}

package gitrepository

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	git "github.com/go-git/go-git/v5"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/test/gitserver"
)

// Over http(s) a branch is fetched with depth 1: its tip and none of the
// history behind it.
func TestBranchIsFetchedShallowlyOverHTTP(t *testing.T) {
	remote := newRemoteRepo(t)
	for _, content := range []string{"one", "two", "three"} {
		remote.commit(map[string]string{"app.yaml": content})
	}
	root := t.TempDir()
	remote.git("clone", "--quiet", "--bare", remote.dir, filepath.Join(root, "app.git"))
	handler, err := gitserver.Handler(root, func(*http.Request) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	server := httptest.NewServer(handler)
	t.Cleanup(server.Close)

	dir, rev := checkoutURL(t, server.URL+"/app.git", v1alpha1.GitRepositoryRef{Branch: "main"})
	if want := remote.git("rev-parse", "HEAD"); rev.commit.String() != want {
		t.Fatalf("checked out %s, want the tip %s", rev.commit, want)
	}
	repo, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	// The parents of a shallow commit are not in the repository.
	tip, err := repo.CommitObject(rev.commit)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tip.Parent(0); err == nil {
		t.Error("the parent of the tip was fetched too: the fetch was not shallow")
	}
	if shallow, err := repo.Storer.Shallow(); err != nil || len(shallow) != 1 || shallow[0] != rev.commit {
		t.Errorf("the repository's shallow commits are %v (%v), want the tip alone", shallow, err)
	}
}

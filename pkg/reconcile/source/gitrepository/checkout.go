package gitrepository

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// checkout fetches rev into dir and checks its commit out. It fetches only
// the one ref, shallowly where the commit is the ref's tip; a branch with a
// commit, or a commit alone, needs history to find the commit in. It
// returns the revision checked out, which is newer than rev when the
// branch moved since it was resolved.
//
// sparse limits the checkout to these directories, as spec.sparseCheckout.
func checkout(ctx context.Context, dir string, remote *url.URL, creds credentials, rev remoteRevision, commitPinned bool, sparse []string) (remoteRevision, error) {
	repoURL := remote.String()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		return rev, err
	}
	origin, err := repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{repoURL}})
	if err != nil {
		return rev, err
	}
	refSpec := config.RefSpec(fmt.Sprintf("+%s:%s", rev.refName, rev.refName))
	if rev.refName == "" {
		refSpec = "+refs/heads/*:refs/remotes/origin/*"
	}
	depth := 0
	// Local repositories may be served by go-git's own upload-pack, which
	// has no shallow support; they are local, so history is cheap anyway.
	if !commitPinned && remote.Scheme != "file" {
		depth = 1
	}
	err = origin.FetchContext(ctx, &git.FetchOptions{
		RefSpecs:     []config.RefSpec{refSpec},
		Depth:        depth,
		Auth:         creds.auth,
		CABundle:     creds.caBundle,
		ProxyOptions: creds.proxy,
		Tags:         git.NoTags,
	})
	if err != nil && err != git.NoErrAlreadyUpToDate {
		return rev, gitError(ctx, "fetching", repoURL, err, creds)
	}
	if !commitPinned {
		fetched, err := repo.Reference(rev.refName, true)
		if err != nil {
			return rev, source.FetchFailed(v1alpha1.GitOperationFailedReason, "reference '%s' not fetched from '%s': %v", rev.refName, displayURL(repoURL), err)
		}
		rev.commit = fetched.Hash()
		if tag, err := repo.TagObject(rev.commit); err == nil {
			// An annotated tag: check out the commit it points at.
			commit, err := tag.Commit()
			if err != nil {
				return rev, source.FetchFailed(v1alpha1.GitOperationFailedReason, "tag '%s' does not point at a commit: %v", rev.label, err)
			}
			rev.tag, rev.commit = tag.Hash, commit.Hash
		}
	}
	if _, err := repo.CommitObject(rev.commit); err != nil {
		where := "the repository"
		if rev.label != "" {
			where = "branch '" + rev.label + "'"
		}
		return rev, source.FetchFailed(v1alpha1.GitOperationFailedReason, "commit '%s' not found in %s", rev.commit, where)
	}
	worktree, err := repo.Worktree()
	if err != nil {
		return rev, err
	}
	err = worktree.Checkout(&git.CheckoutOptions{Hash: rev.commit, Force: true, SparseCheckoutDirectories: sparse})
	if err != nil {
		return rev, source.FetchFailed(v1alpha1.GitOperationFailedReason, "checking out %s: %v", rev, err)
	}
	for _, d := range sparse {
		if info, err := os.Stat(filepath.Join(dir, filepath.FromSlash(d))); err != nil || !info.IsDir() {
			return rev, source.FetchFailed(v1alpha1.GitOperationFailedReason, "sparse checkout directory '%s' is not in %s", d, rev)
		}
	}
	return rev, nil
}

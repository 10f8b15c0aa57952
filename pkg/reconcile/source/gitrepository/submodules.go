package gitrepository

import (
	"context"

	git "github.com/go-git/go-git/v5"
)

// updateSubmodules checks out the submodules of the checkout in dir, and
// theirs, with the credentials of the GitRepository, as Flux does.
func updateSubmodules(ctx context.Context, dir string, creds credentials) error {
	repo, err := git.PlainOpen(dir)
	if err != nil {
		return err
	}
	worktree, err := repo.Worktree()
	if err != nil {
		return err
	}
	submodules, err := worktree.Submodules()
	if err != nil {
		return err
	}
	err = submodules.UpdateContext(ctx, &git.SubmoduleUpdateOptions{
		Init:              true,
		RecurseSubmodules: git.DefaultSubmoduleRecursionDepth,
		Auth:              creds.auth,
	})
	if err != nil {
		reason := gitOperationFailed
		if isAuthError(err) {
			reason = authenticationFailed
		}
		return fetchFailed(reason, "%s", redact("updating submodules: "+err.Error(), creds.secrets))
	}
	return nil
}

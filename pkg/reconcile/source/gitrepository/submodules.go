package gitrepository

import (
	"context"
	"fmt"
	"strings"

	git "github.com/go-git/go-git/v5"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// updateSubmodules checks out the submodules of the checkout in dir, and
// theirs, with the credentials of the GitRepository, as Flux does. Their
// URLs pass the same checks as spec.url.
func updateSubmodules(ctx context.Context, dir string, creds credentials, allowFile bool) error {
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
	for _, sub := range submodules {
		if err := checkSubmoduleURL(sub.Config().URL, allowFile); err != nil {
			return err
		}
	}
	err = submodules.UpdateContext(ctx, &git.SubmoduleUpdateOptions{
		Init:              true,
		RecurseSubmodules: git.DefaultSubmoduleRecursionDepth,
		Auth:              creds.auth,
	})
	if err != nil {
		reason := v1alpha1.GitOperationFailedReason
		if isAuthError(err) {
			reason = v1alpha1.AuthenticationFailedReason
		}
		return source.FetchFailed(reason, "%s", redact("updating submodules: "+err.Error(), creds.secrets))
	}
	return nil
}

// checkSubmoduleURL applies parseURL's rules to a submodule URL; a relative
// one ("../lib.git") is resolved against spec.url, which passed them.
func checkSubmoduleURL(raw string, allowFile bool) error {
	if strings.HasPrefix(raw, "./") || strings.HasPrefix(raw, "../") {
		return nil
	}
	if _, err := parseURL(raw, allowFile); err != nil {
		return fmt.Errorf("submodule: %w", err)
	}
	return nil
}

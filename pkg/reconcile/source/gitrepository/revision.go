package gitrepository

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/memory"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// resolveRevision asks the remote which commit the wanted ref points at
// (git ls-remote), so an unchanged remote costs no download.
func resolveRevision(ctx context.Context, repoURL string, creds credentials, want wantedRef) (remoteRevision, error) {
	if want.commit != "" {
		// A commit is its own revision; the remote is asked at checkout.
		rev := remoteRevision{label: want.branch, commit: plumbing.NewHash(want.commit)}
		if want.branch != "" {
			rev.refName = plumbing.NewBranchReferenceName(want.branch)
		}
		if !plumbing.IsHash(want.commit) {
			return rev, source.Stalled(v1alpha1.GitOperationFailedReason, "ref.commit %q is not a full SHA-1", want.commit)
		}
		return rev, nil
	}
	remote := git.NewRemote(memory.NewStorage(), &config.RemoteConfig{Name: "origin", URLs: []string{repoURL}})
	refs, err := remote.ListContext(ctx, &git.ListOptions{
		Auth: creds.auth, CABundle: creds.caBundle, ProxyOptions: creds.proxy, PeelingOption: git.AppendPeeled,
	})
	if err != nil {
		return remoteRevision{}, gitError(ctx, "listing references of", repoURL, err, creds)
	}
	return pickRevision(refs, want, displayURL(repoURL))
}

// pickRevision finds the wanted ref among the remote's. An annotated tag
// resolves to the commit it points at (its peeled '^{}' entry).
func pickRevision(refs []*plumbing.Reference, want wantedRef, where string) (remoteRevision, error) {
	hashes := map[plumbing.ReferenceName]plumbing.Hash{}
	for _, ref := range refs {
		if ref.Type() == plumbing.HashReference {
			hashes[ref.Name()] = ref.Hash()
		}
	}
	lookup := func(name plumbing.ReferenceName, label string) (remoteRevision, bool) {
		hash, ok := hashes[name+"^{}"]
		if !ok {
			hash, ok = hashes[name]
		}
		return remoteRevision{refName: name, label: label, commit: hash}, ok
	}
	switch {
	case want.name != "":
		if rev, ok := lookup(plumbing.ReferenceName(want.name), want.name); ok {
			return rev, nil
		}
		return remoteRevision{}, source.FetchFailed(v1alpha1.GitOperationFailedReason, "reference '%s' not found in '%s'", want.name, where)
	case want.semver != "":
		return pickSemver(hashes, want.semver, where, lookup)
	case want.tag != "":
		if rev, ok := lookup(plumbing.NewTagReferenceName(want.tag), want.tag); ok {
			return rev, nil
		}
		return remoteRevision{}, source.FetchFailed(v1alpha1.GitOperationFailedReason, "tag '%s' not found in '%s'", want.tag, where)
	default:
		if rev, ok := lookup(plumbing.NewBranchReferenceName(want.branch), want.branch); ok {
			return rev, nil
		}
		return remoteRevision{}, source.FetchFailed(v1alpha1.GitOperationFailedReason, "branch '%s' not found in '%s'", want.branch, where)
	}
}

// pickSemver chooses the highest tag that parses as a version and meets
// the constraint.
func pickSemver(hashes map[plumbing.ReferenceName]plumbing.Hash, constraint, where string,
	lookup func(plumbing.ReferenceName, string) (remoteRevision, bool)) (remoteRevision, error) {
	c, err := semver.NewConstraint(constraint)
	if err != nil {
		return remoteRevision{}, source.Stalled(v1alpha1.GitOperationFailedReason, "ref.semver %q is not a version range: %v", constraint, err)
	}
	type candidate struct {
		tag     string
		version *semver.Version
	}
	var matches []candidate
	for name := range hashes {
		if !name.IsTag() || strings.HasSuffix(name.String(), "^{}") {
			continue
		}
		tag := name.Short()
		if v, err := semver.NewVersion(tag); err == nil && c.Check(v) {
			matches = append(matches, candidate{tag, v})
		}
	}
	if len(matches) == 0 {
		return remoteRevision{}, source.FetchFailed(v1alpha1.GitOperationFailedReason, "no tag in '%s' matches semver range '%s'", where, constraint)
	}
	sort.Slice(matches, func(i, j int) bool { return matches[i].version.GreaterThan(matches[j].version) })
	rev, _ := lookup(plumbing.NewTagReferenceName(matches[0].tag), matches[0].tag)
	return rev, nil
}

// gitError turns a go-git error into a step error whose reason and message
// name the cause, with no credentials in it.
func gitError(ctx context.Context, doing, repoURL string, err error, creds credentials) *outcome.Failure {
	reason := v1alpha1.GitOperationFailedReason
	switch {
	case isAuthError(err):
		reason = v1alpha1.AuthenticationFailedReason
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		err = fmt.Errorf("timed out: %w", err)
	}
	return source.FetchFailed(reason, "%s", redact(fmt.Sprintf("%s '%s': %v", doing, displayURL(repoURL), err), creds.secrets))
}

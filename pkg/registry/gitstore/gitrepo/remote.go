package gitrepo

import (
	"context"
	"errors"
	"fmt"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"
)

// ErrRemoteMoved: the remote branch is not an ancestor of what was pushed.
var ErrRemoteMoved = errors.New("remote branch moved")

// Remote is a Git remote the repository mirrors its branch to.
type Remote struct {
	URL  string
	Auth transport.AuthMethod // nil for none
}

func (r *Repo) remote(rm Remote) (*git.Remote, error) {
	repo, err := git.Open(r.objects, nil)
	if err != nil {
		return nil, err
	}
	return repo.CreateRemoteAnonymous(&config.RemoteConfig{Name: anonymous, URLs: []string{rm.URL}})
}

// anonymous is go-git's name for a remote that is not in the config.
const anonymous = "anonymous"

// Fetch brings the remote's branch into local ref into and returns its commit
// (zero when the remote has no such branch).
func (r *Repo) Fetch(ctx context.Context, rm Remote, branch, into plumbing.ReferenceName) (plumbing.Hash, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	remote, err := r.remote(rm)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	spec := config.RefSpec("+" + branch.String() + ":" + into.String())
	err = remote.FetchContext(ctx, &git.FetchOptions{RemoteName: anonymous, RefSpecs: []config.RefSpec{spec}, Auth: rm.Auth, Tags: git.NoTags})
	switch {
	case errors.Is(err, git.NoErrAlreadyUpToDate):
	case errors.Is(err, transport.ErrEmptyRemoteRepository), errors.Is(err, git.NoMatchingRefSpecError{}),
		err != nil && strings.Contains(err.Error(), "couldn't find remote ref"):
		return plumbing.ZeroHash, nil
	case err != nil:
		return plumbing.ZeroHash, fmt.Errorf("fetching %s from the remote: %w", branch, err)
	}
	ref, err := r.storage.Reference(into)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return ref.Hash(), nil
}

// Push sets the remote's branch to the commit local points at, only as a
// fast-forward: ErrRemoteMoved when the remote has commits it lacks.
func (r *Repo) Push(ctx context.Context, rm Remote, local, branch plumbing.ReferenceName) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	remote, err := r.remote(rm)
	if err != nil {
		return err
	}
	spec := config.RefSpec(local.String() + ":" + branch.String())
	err = remote.PushContext(ctx, &git.PushOptions{RemoteName: anonymous, RefSpecs: []config.RefSpec{spec}, Auth: rm.Auth})
	switch {
	case err == nil, errors.Is(err, git.NoErrAlreadyUpToDate):
		return nil
	case strings.Contains(err.Error(), "non-fast-forward"), errors.Is(err, plumbing.ErrObjectNotFound):
		return fmt.Errorf("%w: %v", ErrRemoteMoved, err)
	}
	return fmt.Errorf("pushing %s to the remote: %w", branch, err)
}

// MergeBase returns the best common ancestor of two commits.
func (r *Repo) MergeBase(a, b plumbing.Hash) (plumbing.Hash, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ca, err := object.GetCommit(r.objects, a)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	cb, err := object.GetCommit(r.objects, b)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	bases, err := ca.MergeBase(cb)
	if err != nil || len(bases) == 0 {
		return plumbing.ZeroHash, err
	}
	return bases[0].Hash, nil
}

// SetRef points name at h without a compare-and-swap, for refs only this
// process uses (such as the staging ref of a push).
func (r *Repo) SetRef(name plumbing.ReferenceName, h plumbing.Hash) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.storage.SetReference(plumbing.NewHashReference(name, h))
}

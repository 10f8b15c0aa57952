package revlog

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/registry/gitstore/gitrepo"
)

// Mirror keeps the branch in step with a remote repository that people also
// push to. Every API write reaches the remote before it is acknowledged; the
// remote's commits are pulled on an interval and on demand.
type Mirror struct {
	Remote gitrepo.Remote
	// PullInterval is how often the remote is fetched. Default 10s.
	PullInterval time.Duration
}

// ErrMirrorConflict: local and remote changed the same file differently.
var ErrMirrorConflict = errors.New("local and remote branches changed the same files")

const (
	// outgoingRef stages a branch commit for a push before the branch moves.
	outgoingRef = plumbing.ReferenceName("refs/gitops/outgoing")
	// mirrorRef is the remote's branch as last fetched.
	mirrorRef = plumbing.ReferenceName("refs/gitops/mirror")
	// remoteTimeout bounds one fetch or push.
	remoteTimeout = 30 * time.Second
)

// Pull fetches the remote now and takes in what it has; for webhooks and tests.
func (l *Log) Pull(ctx context.Context) error {
	done := make(chan error, 1)
	select {
	case l.pulls <- done:
	case <-ctx.Done():
		return ctx.Err()
	case <-l.stop:
		return errors.New("storage is closed")
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// pushBranch sends a new branch commit to the remote before the local branch
// moves to it, so nothing is acknowledged that the remote has not accepted.
func (l *Log) pushBranch(commit plumbing.Hash) error {
	if l.opts.Mirror == nil {
		return nil
	}
	if err := l.repo.SetRef(outgoingRef, commit); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), remoteTimeout)
	defer cancel()
	return l.repo.Push(ctx, l.opts.Mirror.Remote, outgoingRef, l.branch)
}

// pullMirror brings the local branch and the remote's together: a
// fast-forward either way, or a merge when they changed different files.
// The caller then takes in the new branch commits with ingestPushed.
func (l *Log) pullMirror() error {
	if l.opts.Mirror == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), remoteTimeout)
	defer cancel()
	remote, err := l.repo.Fetch(ctx, l.opts.Mirror.Remote, l.branch, mirrorRef)
	if err != nil {
		return err
	}
	local, err := l.repo.Ref(l.branch)
	if err != nil || remote == local {
		return err
	}
	if remote.IsZero() {
		return l.pushBranch(local)
	}
	fastForward := local.IsZero()
	if !fastForward {
		if fastForward, err = l.repo.IsAncestor(local, remote); err != nil {
			return err
		}
	}
	if fastForward {
		return l.repo.UpdateRefs(gitrepo.RefUpdate{Name: l.branch, Old: local, New: remote})
	}
	behind, err := l.repo.IsAncestor(remote, local)
	if err != nil {
		return err
	}
	if behind {
		return l.pushBranch(local)
	}
	merged, err := l.merge(local, remote)
	if err != nil {
		return err
	}
	if err := l.pushBranch(merged); err != nil {
		return err
	}
	return l.repo.UpdateRefs(gitrepo.RefUpdate{Name: l.branch, Old: local, New: merged})
}

// merge joins diverged branches when each side changed other files.
func (l *Log) merge(local, remote plumbing.Hash) (plumbing.Hash, error) {
	base, err := l.repo.MergeBase(local, remote)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	trees := make([]plumbing.Hash, 3)
	for i, c := range []plumbing.Hash{base, local, remote} {
		if trees[i], err = l.treeOf(c); err != nil {
			return plumbing.ZeroHash, err
		}
	}
	ours, err := l.repo.Diff(trees[0], trees[1])
	if err != nil {
		return plumbing.ZeroHash, err
	}
	theirs, err := l.repo.Diff(trees[0], trees[2])
	if err != nil {
		return plumbing.ZeroHash, err
	}
	changedHere := map[string]plumbing.Hash{}
	for _, c := range ours {
		changedHere[c.Path] = c.New
	}
	edits := map[string]plumbing.Hash{}
	var conflicts []string
	for _, c := range theirs {
		if mine, ok := changedHere[c.Path]; ok && mine != c.New {
			conflicts = append(conflicts, c.Path)
		}
		edits[c.Path] = c.New
	}
	if len(conflicts) > 0 {
		mirrorConflicts.Inc()
		return plumbing.ZeroHash, fmt.Errorf("%w: %v", ErrMirrorConflict, conflicts)
	}
	tree, err := l.repo.WriteTree(trees[1], edits)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return l.repo.WriteCommit(gitrepo.NewCommit{Tree: tree, Parents: []plumbing.Hash{local, remote},
		Author: l.opts.ServerIdentity, Message: "merge the remote's changes\n"})
}

// syncMirror pulls and takes in the result. A remote that is away or in
// conflict is logged and retried, and must not stop the store, so its error
// is returned apart from the local one.
func (l *Log) syncMirror() (pullErr, err error) {
	if pullErr = l.pullMirror(); pullErr != nil {
		klog.ErrorS(pullErr, "Syncing the storage branch with its remote failed; will retry", "branch", l.branch)
	}
	return pullErr, l.ingestPushed()
}

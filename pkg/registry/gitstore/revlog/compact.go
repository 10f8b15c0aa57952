package revlog

import (
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"

	"gitops.io/apiserver/pkg/registry/gitstore/gitrepo"
)

// compactHistory keeps the state ref's history short, so status churn does
// not pile up: once it is twice HistoryCommits long, the newest
// HistoryCommits commits are rewritten onto a new root that holds the state
// just before them. Revisions older than that root are then compacted: a
// watch or exact list from one gets 410 Gone, as with etcd. Branch history is
// never touched. Runs on the committer goroutine.
func (l *Log) compactHistory() error {
	l.mu.RLock()
	head, depth := l.stateHead, l.depth
	l.mu.RUnlock()
	keep := l.opts.HistoryCommits
	if depth <= 2*keep {
		return nil
	}
	newest := make([]*stateCommit, 0, keep)
	h := head
	for len(newest) < keep {
		sc, ok, err := l.readStateCommit(h)
		if err != nil || !ok {
			return fmt.Errorf("reading state history at %s: %v", h, err)
		}
		newest = append(newest, sc)
		h = sc.commit.ParentHashes[0]
	}
	base, ok, err := l.readStateCommit(h)
	if err != nil || !ok {
		return fmt.Errorf("reading state history at %s: %v", h, err)
	}
	rootMsg := stateMessage{Summary: fmt.Sprintf("state compacted at revision %d", base.msg.Revision),
		Revision: base.msg.Revision, Main: base.msg.Main, Compacted: true, CompactedAt: base.msg.Revision}
	var rootParents []plumbing.Hash
	if !base.msg.Main.IsZero() {
		rootParents = append(rootParents, base.msg.Main)
	}
	prev, err := l.repo.WriteCommit(gitrepo.NewCommit{Tree: base.commit.TreeHash, Parents: rootParents,
		Author: l.opts.ServerIdentity, Message: rootMsg.String()})
	if err != nil {
		return err
	}
	for i := len(newest) - 1; i >= 0; i-- {
		sc := newest[i]
		msg := sc.msg
		msg.Depth = keep - i
		msg.CompactedAt = base.msg.Revision
		parents := append([]plumbing.Hash{prev}, sc.commit.ParentHashes[1:]...)
		prev, err = l.repo.WriteCommit(gitrepo.NewCommit{Tree: sc.commit.TreeHash, Parents: parents,
			Author:    gitrepo.Author{Name: sc.commit.Author.Name, Email: sc.commit.Author.Email},
			Committer: &l.opts.ServerIdentity, Message: msg.String(), When: sc.commit.Author.When})
		if err != nil {
			return err
		}
	}
	if err := l.repo.UpdateRefs(gitrepo.RefUpdate{Name: l.stateRef, Old: head, New: prev}); err != nil {
		return err
	}
	l.mu.Lock()
	l.stateHead, l.depth = prev, keep
	l.compacted = max(l.compacted, base.msg.Revision)
	l.mu.Unlock()
	return nil
}

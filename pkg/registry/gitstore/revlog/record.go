package revlog

import (
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/registry/gitstore/gitrepo"
	"gitops.io/apiserver/pkg/registry/gitstore/layout"
)

// heads is where the refs and trees stand after a commit.
type heads struct {
	main, mainTree, state, stateTree plumbing.Hash
	revision                         uint64
	depth                            int
}

// commit records changes in the repository: a branch commit by author when
// any manifest changed (unless pushed, the branch commit that already holds
// them), then a state commit with the revisions. The changes are published
// and their writers answered once the commit is journaled, so an
// acknowledged write survives a crash.
func (l *Log) commit(changes []change, author gitrepo.Author, pushed plumbing.Hash) error {
	l.mu.RLock()
	at := heads{main: l.mainHead, mainTree: l.mainTree, state: l.stateHead, stateTree: l.stateTree, revision: l.revision, depth: l.depth}
	compactedAt := l.compacted
	l.mu.RUnlock()
	next := at

	mainEdits := map[string]plumbing.Hash{}
	stateEdits := map[string]plumbing.Hash{}
	lines := make([]eventLine, 0, len(changes))
	for i := range changes {
		c := &changes[i]
		next.revision++
		lines = append(lines, eventLine{Revision: next.revision, Type: c.typ, Key: c.entry.Key})
		manifestPath, err := layout.ManifestPath(c.entry.Key)
		if err != nil {
			return err
		}
		statePath, _ := layout.StatePath(c.entry.Key)
		if c.typ == Deleted {
			c.entry = &Entry{Key: c.prev.Key, Object: c.prev.Object, Revision: next.revision}
			mainEdits[manifestPath] = plumbing.ZeroHash
			stateEdits[statePath] = plumbing.ZeroHash
			continue
		}
		c.entry.Revision = next.revision
		if c.branchChanged {
			mainEdits[manifestPath] = c.entry.manifestBlob // written by the writer, or pushed
		}
		sf, err := layout.StateFile{Revision: next.revision, Manifest: c.entry.manifestBlob, State: c.entry.state}.Encode()
		if err != nil {
			return err
		}
		if stateEdits[statePath], err = l.repo.WriteBlob(sf); err != nil {
			return err
		}
	}

	var err error
	stateParents := []plumbing.Hash{}
	if !at.state.IsZero() {
		stateParents = append(stateParents, at.state)
	}
	switch {
	case !pushed.IsZero():
		next.main = pushed
		if next.mainTree, err = l.treeOf(pushed); err != nil {
			return err
		}
	case len(mainEdits) > 0:
		if next.mainTree, err = l.repo.WriteTree(at.mainTree, mainEdits); err != nil {
			return err
		}
		var parents []plumbing.Hash
		if !at.main.IsZero() {
			parents = append(parents, at.main)
		}
		next.main, err = l.repo.WriteCommit(gitrepo.NewCommit{
			Tree: next.mainTree, Parents: parents, Author: author,
			Committer: &l.opts.ServerIdentity, Message: branchMessage(lines),
		})
		if err != nil {
			return err
		}
	}
	if next.main != at.main {
		// Keeps every branch commit the history refers to reachable, also
		// after a force push rewrote the branch.
		stateParents = append(stateParents, next.main)
	}
	if next.stateTree, err = l.repo.WriteTree(at.stateTree, stateEdits); err != nil {
		return err
	}
	next.depth++
	msg := stateMessage{Summary: fmt.Sprintf("state at revision %d", next.revision),
		Revision: next.revision, Main: next.main, Depth: next.depth, CompactedAt: compactedAt, Events: lines}
	next.state, err = l.repo.WriteCommit(gitrepo.NewCommit{
		Tree: next.stateTree, Parents: stateParents, Author: author,
		Committer: &l.opts.ServerIdentity, Message: msg.String(),
	})
	if err != nil {
		return err
	}
	refs := []gitrepo.RefUpdate{{Name: l.stateRef, Old: at.state, New: next.state}}
	if next.main != at.main && pushed.IsZero() {
		if err := l.pushBranch(next.main); err != nil {
			return err
		}
		refs = append(refs, gitrepo.RefUpdate{Name: l.branch, Old: at.main, New: next.main})
	}
	// The writers are answered once the commit is journaled, while the pack
	// and refs are written: by then they are preparing their next writes,
	// which then join the next batch rather than wait for a later one.
	answer := func() {
		l.publish(changes, next)
		for i := range changes {
			if w := changes[i].write; w != nil {
				w.done <- writeResult{entry: changes[i].entry}
			}
		}
	}
	if err := l.repo.UpdateRefsNotifying(answer, refs...); err != nil {
		return err
	}
	if err := l.compactHistory(); err != nil {
		// The writes are done; a longer history is only a cost.
		klog.ErrorS(err, "Compacting the state ref's history failed; will retry after the next write")
	}
	return nil
}

// branchMessage names the verb and the objects, e.g.
// "create kustomizations default/app".
func branchMessage(lines []eventLine) string {
	verb := map[EventType]string{Added: "create", Modified: "update", Deleted: "delete"}
	describe := func(e eventLine) string {
		parts := strings.Split(strings.Trim(e.Key, "/"), "/")
		return verb[e.Type] + " " + parts[0] + " " + strings.Join(parts[1:], "/")
	}
	if len(lines) == 1 {
		return describe(lines[0]) + "\n"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "write %d objects\n\n", len(lines))
	for _, e := range lines {
		b.WriteString(describe(e) + "\n")
	}
	return b.String()
}

package revlog

import (
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/registry/gitstore/layout"
)

// ingestPushed takes in commits that reached the branch from outside (a git
// push): each changed manifest that checks out becomes an event with a new
// revision; a file that does not is skipped and reported, and the object it
// would have changed keeps serving its last good version.
func (l *Log) ingestPushed() error {
	head, err := l.repo.Ref(l.branch)
	if err != nil {
		return err
	}
	l.mu.RLock()
	known, knownTree := l.mainHead, l.mainTree
	l.mu.RUnlock()
	if head == known {
		return nil
	}
	if head.IsZero() {
		// Deleting the branch is not taken as deleting every object.
		klog.InfoS("Storage branch was deleted; keeping the objects", "branch", l.branch)
		return nil
	}
	l.repo.Reload()
	rewritten := false
	if !known.IsZero() {
		ancestor, err := l.repo.IsAncestor(known, head)
		if err != nil {
			return fmt.Errorf("comparing %s with pushed %s: %w", known, head, err)
		}
		rewritten = !ancestor
	}
	tree, err := l.treeOf(head)
	if err != nil {
		return err
	}
	diff, err := l.repo.Diff(knownTree, tree)
	if err != nil {
		return err
	}
	var changes []change
	for _, d := range diff {
		key, ok := layout.KeyForManifest(d.Path)
		if !ok {
			continue
		}
		c, err := l.pushedChange(key, d.New)
		if err != nil {
			l.reject(d.Path, head, err)
			continue
		}
		if c != nil {
			changes = append(changes, *c)
		}
	}
	if len(changes) == 0 {
		l.mu.Lock()
		l.mainHead, l.mainTree = head, tree
		l.mu.Unlock()
	} else if err := l.commit(changes, l.opts.ServerIdentity, head); err != nil {
		return err
	}
	if rewritten {
		l.endAll(ErrHistoryRewritten)
	}
	return nil
}

// pushedChange turns a pushed manifest (a zero blob: a removed file) into a
// change, or nil when it changes nothing the API serves.
func (l *Log) pushedChange(key string, blob plumbing.Hash) (*change, error) {
	cur, _ := l.Get(key)
	if blob.IsZero() {
		if cur == nil {
			return nil, nil
		}
		return &change{typ: Deleted, entry: cur, prev: cur}, nil
	}
	if cur != nil && cur.manifestBlob == blob {
		return nil, nil
	}
	manifest, err := l.repo.Blob(blob)
	if err != nil {
		return nil, err
	}
	var oldManifest, oldState []byte
	if cur != nil {
		if oldManifest, err = l.repo.Blob(cur.manifestBlob); err != nil {
			return nil, err
		}
		oldState = cur.state
	}
	state, obj, err := CheckPushed(key, manifest, oldManifest, oldState, l.opts.PushOwner, l.opts.Validate)
	if err != nil {
		return nil, err
	}
	return &change{typ: changeType(cur), prev: cur, branchChanged: true,
		entry: &Entry{Key: key, Object: obj, manifestBlob: blob, state: state}}, nil
}

func (l *Log) reject(path string, commit plumbing.Hash, err error) {
	r := Rejection{Path: path, Commit: commit.String(), Err: err}
	klog.InfoS("Skipping pushed file that is not a valid object", "path", path, "commit", r.Commit, "err", err.Error())
	rejectedFiles.Inc()
	if l.opts.OnRejected != nil {
		l.opts.OnRejected(r)
	}
}

// endAll ends every subscription with err.
func (l *Log) endAll(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for s := range l.subs {
		s.end(err)
		delete(l.subs, s)
	}
}

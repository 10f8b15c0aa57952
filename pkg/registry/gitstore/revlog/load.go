package revlog

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"

	"gitops.io/apiserver/pkg/registry/gitstore/layout"
)

// load rebuilds the in-memory index from the newest state commit: each state
// file names the manifest blob it belongs to, so the index never depends on
// files pushed to the branch that were not accepted.
func (l *Log) load() error {
	head, err := l.repo.Ref(l.stateRef)
	if err != nil {
		return err
	}
	if head.IsZero() {
		return nil
	}
	commit, err := l.repo.Commit(head)
	if err != nil {
		return fmt.Errorf("reading state commit %s: %w", head, err)
	}
	msg, ok, err := parseStateMessage(commit.Message)
	if err != nil || !ok {
		return fmt.Errorf("state commit %s is not readable: %v", head, err)
	}
	files, err := l.repo.Files(commit.TreeHash)
	if err != nil {
		return err
	}
	entries, err := l.readEntries(files)
	if err != nil {
		return err
	}
	for _, e := range entries {
		l.index.ReplaceOrInsert(e)
	}
	l.revision, l.recentFrom = msg.Revision, msg.Revision
	l.stateHead, l.stateTree = head, commit.TreeHash
	l.mainHead, l.depth = msg.Main, msg.Depth
	if l.mainTree, err = l.treeOf(msg.Main); err != nil {
		return err
	}
	l.compacted = msg.CompactedAt
	return nil
}

// readEntries reads the objects of state files on every core: parsing the
// manifests is most of the start-up time.
func (l *Log) readEntries(files map[string]plumbing.Hash) ([]*Entry, error) {
	type job struct {
		key  string
		blob plumbing.Hash
	}
	jobs := make(chan job)
	var (
		mu       sync.Mutex
		entries  = make([]*Entry, 0, len(files))
		firstErr error
		wg       sync.WaitGroup
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				e, err := l.readEntry(j.key, j.blob)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("state of %s: %w", j.key, err)
				}
				if err == nil {
					entries = append(entries, e)
				}
				mu.Unlock()
			}
		}()
	}
	for path, blob := range files {
		if key, ok := layout.KeyForState(path); ok {
			jobs <- job{key, blob}
		}
	}
	close(jobs)
	wg.Wait()
	return entries, firstErr
}

// readEntry builds an entry from a state file blob.
func (l *Log) readEntry(key string, stateBlob plumbing.Hash) (*Entry, error) {
	data, err := l.repo.Blob(stateBlob)
	if err != nil {
		return nil, err
	}
	sf, err := layout.DecodeStateFile(data)
	if err != nil {
		return nil, err
	}
	manifest, err := l.repo.Blob(sf.Manifest)
	if err != nil {
		return nil, err
	}
	obj, err := layout.Merge(manifest, sf.State)
	if err != nil {
		return nil, err
	}
	return &Entry{Key: key, Object: obj, Revision: sf.Revision, manifestBlob: sf.Manifest, state: sf.State}, nil
}

// treeOf returns the tree of a branch commit (zero for none).
func (l *Log) treeOf(commit plumbing.Hash) (plumbing.Hash, error) {
	if commit.IsZero() {
		return plumbing.ZeroHash, nil
	}
	c, err := l.repo.Commit(commit)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return c.TreeHash, nil
}

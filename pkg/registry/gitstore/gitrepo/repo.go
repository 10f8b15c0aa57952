// Package gitrepo is the Git layer of the storage engine: it reads and writes
// objects, trees, commits and refs of one bare repository through go-git, and
// makes every ref update durable and atomic the way the git CLI does (a lock
// file, fsync, rename), so that git push and this process can share the repo.
package gitrepo

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/go-git/go-billy/v5/osfs"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"k8s.io/klog/v2"
)

// Repo is a bare Git repository on disk. All methods are safe for concurrent
// use; go-git's storage is not, so access to it is serialised.
type Repo struct {
	path string

	mu      sync.Mutex
	storage *filesystem.Storage // refs, and objects go-git has indexed
	objects objectStore         // every object, for reading
	trees   map[plumbing.Hash]*object.Tree
	packs   *packs

	updating sync.Mutex // one UpdateRefs or checkpoint at a time
	closed   bool       // under updating
	failed   error      // set under updating and mu: see finishApplying
	journal  *journal

	// What is journaled but not yet in git's files; see apply.go.
	applying      sync.Mutex                          // taken before updating
	held          map[plumbing.ReferenceName]*refLock // under mu: refs locked, with their new values
	queued        []*ownPack                          // under mu: packs to write, in order
	applyRequests chan struct{}
	applierDone   chan struct{}

	merging       sync.Mutex // one mergePacks at a time
	mergeRequests chan struct{}
	mergerDone    chan struct{}
}

// Open opens the bare repository at path, creating it when it does not exist.
func Open(path string) (*Repo, error) {
	if _, err := os.Stat(filepath.Join(path, "HEAD")); os.IsNotExist(err) {
		if _, err := git.PlainInit(path, true); err != nil {
			return nil, fmt.Errorf("initialising storage repository %s: %w", path, err)
		}
		// Allow git push to the checked-out branch of a bare repo and keep
		// history that watchers may still need.
		if err := os.WriteFile(filepath.Join(path, "config"), []byte(bareConfig), 0o644); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	r := &Repo{path: path, trees: map[plumbing.Hash]*object.Tree{}, packs: newPacks(), held: map[plumbing.ReferenceName]*refLock{},
		mergeRequests: make(chan struct{}, 1), mergerDone: make(chan struct{}),
		applyRequests: make(chan struct{}, 1), applierDone: make(chan struct{})}
	r.storage = filesystem.NewStorageWithOptions(repoFS{osfs.New(path)}, cache.NewObjectLRU(64*cache.MiByte), filesystem.Options{KeepDescriptors: true})
	r.objects = objectStore{Storage: r.storage, packs: r.packs}
	journal, records, err := openJournal(path)
	if err != nil {
		return nil, fmt.Errorf("opening the journal of storage repository %s: %w", path, err)
	}
	r.journal = journal
	if err := r.replay(records); err != nil {
		return nil, fmt.Errorf("replaying the journal of storage repository %s: %w", path, err)
	}
	if err := r.mergePacksOfEarlierRuns(); err != nil {
		return nil, fmt.Errorf("merging the packs of storage repository %s: %w", path, err)
	}
	go r.runMerger()
	go r.runApplier()
	return r, nil
}

// Close waits for a merge in progress and stops merging. Writes fail after
// it. It checkpoints the journal, so the next Open has nothing to replay.
func (r *Repo) Close() { r.close(true) }

// close is Close; without checkpoint it leaves the journal as a crash would,
// for the next Open to replay.
func (r *Repo) close(checkpoint bool) {
	r.applying.Lock()
	r.updating.Lock()
	if r.closed {
		r.updating.Unlock()
		r.applying.Unlock()
		return
	}
	r.finishApplying(nil)
	if checkpoint && r.failed == nil {
		if err := r.checkpointHeld(0); err != nil {
			klog.ErrorS(err, "Checkpointing the journal at close failed; the next open replays it", "repository", r.path)
		}
	}
	r.closed = true
	close(r.mergeRequests)
	close(r.applyRequests)
	r.updating.Unlock()
	r.applying.Unlock()
	<-r.mergerDone
	<-r.applierDone
	r.journal.file.Close()
	r.mu.Lock()
	r.storage.ObjectStorage.Close()
	r.mu.Unlock()
}

const bareConfig = `[core]
	repositoryformatversion = 0
	filemode = true
	bare = true
[receive]
	denyNonFastForwards = false
[gc]
	reflogExpire = never
	pruneExpire = never
	autoPackLimit = 0
`

// PointHeadAt makes HEAD name branch, so a plain git clone checks it out.
func (r *Repo) PointHeadAt(branch plumbing.ReferenceName) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	head, err := r.storage.Reference(plumbing.HEAD)
	if err == nil && head.Type() == plumbing.SymbolicReference && head.Target() == branch {
		return nil
	}
	return r.storage.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, branch))
}

// Path is the repository's directory.
func (r *Repo) Path() string { return r.path }

// Reload forgets cached pack indexes so that objects written by another
// process (a git push) become visible.
func (r *Repo) Reload() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reindex()
}

// reindex has go-git read the pack indexes again and close the packs it
// holds open, some of which may be gone: it keeps them open between reads,
// where it would otherwise open a pack for every object.
func (r *Repo) reindex() {
	r.storage.ObjectStorage.Close()
	r.storage.ObjectStorage.Reindex()
}

// Blob returns the content of a blob.
func (r *Repo) Blob(h plumbing.Hash) ([]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.readBlob(h)
}

func (r *Repo) readBlob(h plumbing.Hash) ([]byte, error) {
	obj, err := r.objects.EncodedObject(plumbing.BlobObject, h)
	if err != nil {
		return nil, fmt.Errorf("reading blob %s: %w", h, err)
	}
	rd, err := obj.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	buf := make([]byte, obj.Size())
	if _, err := io.ReadFull(rd, buf); err != nil {
		return nil, err
	}
	return buf, nil
}

// Commit reads a commit object.
func (r *Repo) Commit(h plumbing.Hash) (*object.Commit, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return object.GetCommit(r.objects, h)
}

// IsAncestor reports whether commit a is reachable from commit b.
func (r *Repo) IsAncestor(a, b plumbing.Hash) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ca, err := object.GetCommit(r.objects, a)
	if err != nil {
		return false, err
	}
	cb, err := object.GetCommit(r.objects, b)
	if err != nil {
		return false, err
	}
	return ca.IsAncestor(cb)
}

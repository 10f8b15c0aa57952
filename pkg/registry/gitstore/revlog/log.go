// Package revlog is the revision log of the Git storage engine: it gives every
// change in the storage repository a global, ever-growing revision, keeps the
// current objects in memory, turns commits (its own and pushed ones) into
// events, and fans them out to subscribers. Git objects and refs are the job
// of package gitrepo; the storage.Interface on top is package gitstore.
package revlog

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/google/btree"

	"gitops.io/apiserver/pkg/registry/gitstore/gitrepo"
)

// Options configure a Log.
type Options struct {
	// Path of the bare storage repository; created when missing.
	Path string
	// Branch holding the desired state. Default "main".
	Branch string
	// PollInterval is how often the branch is checked for pushed commits.
	// Default 200ms, so a push becomes events well within a second.
	PollInterval time.Duration
	// HistoryCommits is how many state commits are kept before the state
	// ref's history is compacted. Default 10000.
	HistoryCommits int
	// EventsInMemory is how many recent events are kept in memory for
	// watches; older ones are read back from Git. Default 10000.
	EventsInMemory int
	// ServerIdentity signs commits made for the server itself (ingesting a
	// push, state ref compaction) and writes with no user in the request.
	ServerIdentity gitrepo.Author
	// PushOwner is the owner (JSON, status.owner) of objects taken in from a
	// git push or the mirror: a new object gets it, and so does a changed one
	// whose spec.serviceAccountName the push sets, changes or removes (see
	// layout.StateForExternal). Unset, pushes record no owner.
	PushOwner json.RawMessage
	// Validate checks an object that arrived by git push before it is served;
	// a non-nil error skips the file.
	Validate func(key string, object []byte) error
	// OnRejected is told about each pushed file that was skipped.
	OnRejected func(Rejection)
	// PreReceiveHook, when set, is the command (program and arguments) that
	// Open installs as the repository's pre-receive hook, replacing what was
	// there, so that git push refuses files intake would skip (see
	// package prereceive). Unset, the repository's hooks are left alone.
	PreReceiveHook []string
	// Mirror, when set, keeps the branch in step with a remote.
	Mirror *Mirror
}

// Rejection is a pushed file that the store skipped, and why.
type Rejection struct {
	Path   string
	Commit string
	Err    error
}

// Entry is the current value of a key.
type Entry struct {
	Key      string
	Object   []byte // merged JSON object, without resourceVersion
	Revision uint64 // revision of the key's last change

	manifestBlob plumbing.Hash // the file on the branch
	// canonical is the hash of the manifest as layout.Split writes it,
	// which may differ from the file's when a person wrote the file; zero
	// when not known yet.
	canonical plumbing.Hash
	state     []byte // server-owned state, as on the state ref
}

func (e *Entry) less(o *Entry) bool { return e.Key < o.Key }

// Log is the revision log over one storage repository.
type Log struct {
	opts     Options
	repo     *gitrepo.Repo
	branch   plumbing.ReferenceName
	stateRef plumbing.ReferenceName

	mu         sync.RWMutex
	index      *btree.BTreeG[*Entry]
	revision   uint64        // revision of the newest change
	compacted  uint64        // oldest revision watches may start from
	mainHead   plumbing.Hash // newest branch commit taken in
	mainTree   plumbing.Hash
	stateHead  plumbing.Hash
	depth      int // state commits since the state ref's root
	stateTree  plumbing.Hash
	recent     []Event // events with revision > recentFrom, oldest first
	recentFrom uint64
	subs       map[*Subscription]struct{}

	writes  chan *write
	pulls   chan chan error
	stop    chan struct{}
	stopped chan struct{}
}

// StateRef is the ref holding server-owned state and the revision history.
const StateRef = "refs/gitops/state"

// Open loads the repository at opts.Path (creating it when missing), rebuilds
// the in-memory index, takes in commits pushed while the server was down,
// and starts watching the branch.
func Open(opts Options) (*Log, error) {
	if opts.Branch == "" {
		opts.Branch = "main"
	}
	if opts.PollInterval == 0 {
		opts.PollInterval = 200 * time.Millisecond
	}
	if opts.HistoryCommits == 0 {
		opts.HistoryCommits = 10000
	}
	if opts.EventsInMemory == 0 {
		opts.EventsInMemory = 10000
	}
	if opts.Mirror != nil && opts.Mirror.PullInterval == 0 {
		mirror := *opts.Mirror
		mirror.PullInterval = 10 * time.Second
		opts.Mirror = &mirror
	}
	if opts.ServerIdentity.Name == "" {
		opts.ServerIdentity = gitrepo.Author{Name: "gitops-apiserver", Email: "gitops-apiserver@gitops.io"}
	}
	repo, err := gitrepo.Open(opts.Path)
	if err != nil {
		return nil, err
	}
	l := &Log{
		opts:     opts,
		repo:     repo,
		branch:   plumbing.NewBranchReferenceName(opts.Branch),
		stateRef: plumbing.ReferenceName(StateRef),
		index:    btree.NewG(32, (*Entry).less),
		revision: 1,
		subs:     map[*Subscription]struct{}{},
		writes:   make(chan *write, 1024),
		pulls:    make(chan chan error),
		stop:     make(chan struct{}),
		stopped:  make(chan struct{}),
	}
	if err := l.start(); err != nil {
		repo.Close()
		return nil, err
	}
	return l, nil
}

// start readies a new Log and starts its committer.
func (l *Log) start() error {
	if err := installPreReceiveHook(l.opts.Path, l.opts.PreReceiveHook); err != nil {
		return err
	}
	if err := l.repo.PointHeadAt(l.branch); err != nil {
		return err
	}
	// Only this process writes these refs; a lock left by a crash would
	// otherwise block every write.
	for _, ref := range []plumbing.ReferenceName{l.branch, l.stateRef} {
		os.Remove(filepath.Join(l.opts.Path, filepath.FromSlash(ref.String())) + ".lock")
	}
	if err := l.load(); err != nil {
		return err
	}
	if _, err := l.syncMirror(); err != nil {
		return err
	}
	go l.run()
	return nil
}

// Close stops the log's goroutines and ends every subscription.
func (l *Log) Close() {
	select {
	case <-l.stop:
		return
	default:
	}
	close(l.stop)
	<-l.stopped
	l.repo.Close()
	l.mu.Lock()
	for s := range l.subs {
		s.end(nil)
	}
	l.subs = nil
	l.mu.Unlock()
}

// Repo is the underlying Git repository.
func (l *Log) Repo() *gitrepo.Repo { return l.repo }

// Branch is the desired-state branch's ref name.
func (l *Log) Branch() plumbing.ReferenceName { return l.branch }

// Revision is the revision of the newest change.
func (l *Log) Revision() uint64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.revision
}

// CompactedRevision is the oldest revision one may still list or watch from.
func (l *Log) CompactedRevision() uint64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.compacted
}

// Get returns the current entry of key and the log's revision.
func (l *Log) Get(key string) (*Entry, uint64) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	e, _ := l.index.Get(&Entry{Key: key})
	return e, l.revision
}

// Range calls fn for current entries with keys in [from, end of prefix), in
// key order, until fn returns false. It returns the revision read at.
func (l *Log) Range(prefix, from string, fn func(*Entry) bool) uint64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if from < prefix {
		from = prefix
	}
	l.index.AscendGreaterOrEqual(&Entry{Key: from}, func(e *Entry) bool {
		if !strings.HasPrefix(e.Key, prefix) {
			return false
		}
		return fn(e)
	})
	return l.revision
}

// Count returns the number of keys under prefix and their total size.
func (l *Log) Count(prefix string) (count, bytes int64) {
	l.Range(prefix, "", func(e *Entry) bool {
		count++
		bytes += int64(len(e.Object))
		return true
	})
	return count, bytes
}

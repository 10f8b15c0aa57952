package gitstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/apiserver/pkg/storage"
	utilflowcontrol "k8s.io/apiserver/pkg/util/flowcontrol"

	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
)

// ProgressInterval is how often a watch that allows bookmarks (or asked for
// progress notifications) gets a bookmark with the store's revision. With one global revision and no watch cache, these
// keep an idle watcher's resourceVersion fresh, so it can resume after a
// restart without relisting.
var ProgressInterval = time.Second

// Watch implements storage.Interface. With resourceVersion "" or "0" (and
// sendInitialEvents unset) or sendInitialEvents=true it first sends the
// current objects as ADDED; with resourceVersion N it replays every change
// after N (read back from Git history when older than memory), then goes live.
func (s *Store) Watch(ctx context.Context, key string, opts storage.ListOptions) (watch.Interface, error) {
	key, err := s.prepareKey(key, opts.Recursive)
	if err != nil {
		return nil, err
	}
	rev, err := s.versioner.ParseResourceVersion(opts.ResourceVersion)
	if err != nil {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("invalid resource version: %v", err))
	}
	sendInitial := (opts.SendInitialEvents == nil && rev == 0) || (opts.SendInitialEvents != nil && *opts.SendInitialEvents)
	w := &watcher{
		store:       s,
		pred:        opts.Predicate,
		progress:    opts.ProgressNotify || opts.Predicate.AllowWatchBookmarks,
		endBookmark: opts.SendInitialEvents != nil && *opts.SendInitialEvents && opts.Predicate.AllowWatchBookmarks,
		result:      make(chan watch.Event, 100),
	}
	ctx, w.cancel = context.WithCancel(ctx)
	from := rev
	switch {
	case sendInitial:
		from = s.log.Range(key, "", func(e *revlog.Entry) bool {
			if opts.Recursive || e.Key == key {
				w.initial = append(w.initial, revlog.Event{Type: revlog.Added, Key: e.Key, Object: e.Object, Revision: e.Revision})
			}
			return true
		})
	case rev == 0:
		from = s.log.Revision()
	}
	w.initialRevision = from
	sub, err := s.log.Subscribe(key, opts.Recursive, from)
	if err != nil {
		w.err = err
	}
	w.sub = sub
	utilflowcontrol.WatchInitialized(ctx)
	go w.run(ctx)
	return w, nil
}

// RequestWatchProgress implements storage.Interface: every watch of this
// store that takes bookmarks gets one soon.
func (s *Store) RequestWatchProgress(ctx context.Context) error {
	s.progressMu.Lock()
	defer s.progressMu.Unlock()
	for _, ch := range s.progressRequests {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
	return nil
}

type watcher struct {
	store           *Store
	pred            storage.SelectionPredicate
	progress        bool
	endBookmark     bool
	initial         []revlog.Event
	initialRevision uint64
	sub             *revlog.Subscription
	err             error

	result chan watch.Event
	cancel context.CancelFunc
}

func (w *watcher) Stop() {
	w.cancel()
}

func (w *watcher) ResultChan() <-chan watch.Event { return w.result }

func (w *watcher) run(ctx context.Context) {
	defer close(w.result)
	if w.sub != nil {
		defer w.sub.Close()
	}
	if w.err != nil {
		w.sendError(ctx, w.err)
		return
	}
	for _, ev := range w.initial {
		if !w.sendEvent(ctx, ev) {
			return
		}
	}
	w.initial = nil
	if w.endBookmark && !w.sendBookmark(ctx, w.initialRevision, true) {
		return
	}
	var tick <-chan time.Time
	requested := make(chan struct{}, 1)
	if w.progress {
		t := time.NewTicker(ProgressInterval)
		defer t.Stop()
		tick = t.C
		w.store.progressMu.Lock()
		w.store.progressRequests[w] = requested
		w.store.progressMu.Unlock()
		defer func() {
			w.store.progressMu.Lock()
			delete(w.store.progressRequests, w)
			w.store.progressMu.Unlock()
		}()
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.sub.Ready():
			if _, ok := w.drain(ctx); !ok {
				return
			}
		case <-tick:
			if !w.sendProgress(ctx) {
				return
			}
		case <-requested:
			if !w.sendProgress(ctx) {
				return
			}
		}
	}
}

// drain sends every queued event and returns the revision the watcher is
// then up to date with; ok is false once the watch is over.
func (w *watcher) drain(ctx context.Context) (seen uint64, ok bool) {
	events, seen, ended, err := w.sub.Take()
	for _, ev := range events {
		if !w.sendEvent(ctx, ev) {
			return 0, false
		}
	}
	if ended {
		if err != nil {
			w.sendError(ctx, err)
		}
		return 0, false
	}
	return seen, true
}

// sendProgress sends a bookmark once every queued event has been sent.
func (w *watcher) sendProgress(ctx context.Context) bool {
	seen, ok := w.drain(ctx)
	return ok && w.sendBookmark(ctx, seen, false)
}

// sendBookmark sends an empty object at rev; initialEnd marks the end of the
// initial events.
func (w *watcher) sendBookmark(ctx context.Context, rev uint64, initialEnd bool) bool {
	bookmark := w.store.newFunc()
	if err := w.store.versioner.UpdateObject(bookmark, rev); err != nil {
		return w.sendError(ctx, err)
	}
	if initialEnd {
		if err := storage.AnnotateInitialEventsEndBookmark(bookmark); err != nil {
			return w.sendError(ctx, err)
		}
	}
	return w.send(ctx, watch.Event{Type: watch.Bookmark, Object: bookmark})
}

// sendEvent turns a change into the watch event this watcher's selector
// sees: a change into or out of the selection is an ADDED or DELETED.
func (w *watcher) sendEvent(ctx context.Context, ev revlog.Event) bool {
	var cur, prev runtime.Object
	var curMatch, prevMatch bool
	var err error
	if ev.Type != revlog.Deleted {
		if cur, curMatch, err = w.decodeAndMatch(ev.Object, ev.Revision); err != nil {
			return w.sendError(ctx, err)
		}
	}
	if ev.Prev != nil {
		// The last state is reported with the revision of the change.
		if prev, prevMatch, err = w.decodeAndMatch(ev.Prev, ev.Revision); err != nil {
			return w.sendError(ctx, err)
		}
	}
	switch {
	case curMatch && (ev.Type == revlog.Added || !prevMatch):
		return w.send(ctx, watch.Event{Type: watch.Added, Object: cur})
	case curMatch:
		return w.send(ctx, watch.Event{Type: watch.Modified, Object: cur})
	case prevMatch:
		return w.send(ctx, watch.Event{Type: watch.Deleted, Object: prev})
	}
	return true
}

func (w *watcher) decodeAndMatch(data []byte, rev uint64) (runtime.Object, bool, error) {
	obj := w.store.newFunc()
	if err := w.store.decode(data, rev, obj); err != nil {
		return nil, false, err
	}
	ok, err := w.pred.Matches(obj)
	return obj, ok, err
}

func (w *watcher) sendError(ctx context.Context, err error) bool {
	var status *apierrors.StatusError
	switch {
	case errors.Is(err, revlog.ErrCompacted), errors.Is(err, revlog.ErrHistoryRewritten):
		status = apierrors.NewResourceExpired(err.Error())
	case errors.As(err, &status):
	default:
		status = apierrors.NewInternalError(err)
	}
	w.send(ctx, watch.Event{Type: watch.Error, Object: &status.ErrStatus})
	return false
}

func (w *watcher) send(ctx context.Context, ev watch.Event) bool {
	select {
	case w.result <- ev:
		return true
	case <-ctx.Done():
		return false
	}
}

package revlog

import (
	"errors"
	"strings"
	"sync"
)

// ErrCompacted: the revision asked for is older than the history kept.
var ErrCompacted = errors.New("revision has been compacted")

// ErrHistoryRewritten ends subscriptions when the branch was force-pushed:
// watchers must relist, as after an etcd compaction.
var ErrHistoryRewritten = errors.New("the storage branch's history was rewritten; relist")

// maxPending bounds the events queued for a subscriber that does not read.
const maxPending = 100000

// Subscription receives the events of keys under a prefix (or of one key).
type Subscription struct {
	log       *Log
	key       string
	recursive bool

	mu      sync.Mutex
	pending []Event
	seen    uint64 // every event up to this revision has been queued
	ended   bool
	err     error
	notify  chan struct{}
}

// Subscribe delivers every event for key (or, when recursive, every key with
// prefix key) with a revision after from, oldest first, then live events.
// Events older than the in-memory window are read back from Git history.
func (l *Log) Subscribe(key string, recursive bool, from uint64) (*Subscription, error) {
	s := &Subscription{log: l, key: key, recursive: recursive, notify: make(chan struct{}, 1)}
	l.mu.Lock()
	if l.subs == nil {
		l.mu.Unlock()
		return nil, errors.New("storage is closed")
	}
	if from < l.compacted {
		l.mu.Unlock()
		return nil, ErrCompacted
	}
	var missing bool
	if from >= l.recentFrom {
		for _, ev := range l.recent {
			if ev.Revision > from && s.matches(ev.Key) {
				s.pending = append(s.pending, ev)
			}
		}
	} else {
		missing = true
	}
	s.seen = l.revision
	upTo, stateHead := l.revision, l.stateHead
	l.subs[s] = struct{}{}
	l.mu.Unlock()

	if missing {
		old, err := l.history(stateHead, from, upTo)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.mu.Lock()
		var own []Event
		for _, ev := range old {
			if s.matches(ev.Key) {
				own = append(own, ev)
			}
		}
		s.pending = append(own, s.pending...)
		s.mu.Unlock()
	}
	s.signal()
	return s, nil
}

func (s *Subscription) matches(key string) bool {
	if s.recursive {
		return strings.HasPrefix(key, s.key)
	}
	return key == s.key
}

// deliver queues the events this subscription wants; called under log.mu.
func (s *Subscription) deliver(events []Event, revision uint64) {
	s.mu.Lock()
	for _, ev := range events {
		if s.matches(ev.Key) {
			s.pending = append(s.pending, ev)
		}
	}
	s.seen = revision
	tooSlow := len(s.pending) > maxPending
	s.mu.Unlock()
	if tooSlow {
		s.end(errors.New("watcher is too slow to keep up"))
	}
	s.signal()
}

func (s *Subscription) signal() {
	select {
	case s.notify <- struct{}{}:
	default:
	}
}

// end stops the subscription with err (nil for a plain close).
func (s *Subscription) end(err error) {
	s.mu.Lock()
	if !s.ended {
		s.ended, s.err = true, err
	}
	s.mu.Unlock()
	s.signal()
}

// Ready is signalled when there may be something to Take.
func (s *Subscription) Ready() <-chan struct{} { return s.notify }

// Take returns the queued events and the revision the subscriber is then
// up to date with; ended is true (with the reason, if any) once it is over.
func (s *Subscription) Take() (events []Event, seen uint64, ended bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	events, s.pending = s.pending, nil
	return events, s.seen, s.ended, s.err
}

// Close unsubscribes.
func (s *Subscription) Close() {
	s.log.mu.Lock()
	delete(s.log.subs, s)
	s.log.mu.Unlock()
	s.end(nil)
}

// Compact forgets the history up to rev: lists and watches from an older
// revision get ErrCompacted, as after an etcd compaction.
func (l *Log) Compact(rev uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if rev > l.compacted {
		l.compacted = rev
	}
}

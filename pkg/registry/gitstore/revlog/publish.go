package revlog

// publish makes committed changes visible: index, revision, recent events and
// subscribers, all under one lock so a reader never sees half a commit.
func (l *Log) publish(changes []change, next heads) {
	l.mu.Lock()
	defer l.mu.Unlock()
	events := make([]Event, 0, len(changes))
	for _, c := range changes {
		ev := Event{Type: c.typ, Key: c.entry.Key, Object: c.entry.Object, Revision: c.entry.Revision}
		if c.prev != nil {
			ev.Prev, ev.PrevRevision = c.prev.Object, c.prev.Revision
		}
		if c.typ == Deleted {
			l.index.Delete(c.entry)
		} else {
			l.index.ReplaceOrInsert(c.entry)
		}
		events = append(events, ev)
	}
	l.mainHead, l.mainTree = next.main, next.mainTree
	l.stateHead, l.stateTree = next.state, next.stateTree
	l.revision, l.depth = next.revision, next.depth
	l.remember(events)
	for s := range l.subs {
		s.deliver(events, l.revision)
	}
}

// remember keeps the newest events in memory for watches and exact reads.
func (l *Log) remember(events []Event) {
	l.recent = append(l.recent, events...)
	// Trim only when twice over, so the copy is paid once per many writes.
	if len(l.recent) > 2*l.opts.EventsInMemory {
		over := len(l.recent) - l.opts.EventsInMemory
		l.recentFrom = l.recent[over-1].Revision
		// Copy, so the dropped events' memory is released.
		l.recent = append([]Event(nil), l.recent[over:]...)
	}
}

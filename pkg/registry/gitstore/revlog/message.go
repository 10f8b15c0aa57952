package revlog

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// A state commit's message records, as trailers, what revision the store is
// at after it, which branch commit the state belongs to, and one line per
// change. Git history is thereby the event log: watches from an old revision
// and exact reads of an old revision are answered from it.
const (
	trailerRevision  = "Gitops-Revision: "
	trailerMain      = "Gitops-Main: "
	trailerDepth     = "Gitops-Depth: "
	trailerCompacted = "Gitops-Compacted: true"
	// Revisions up to this one are no longer in history.
	trailerCompactedAt = "Gitops-Compacted-At: "
	trailerEvent       = "Gitops-Event: "
)

type eventLine struct {
	Revision uint64
	Type     EventType
	Key      string
}

type stateMessage struct {
	Summary     string
	Revision    uint64
	Main        plumbing.Hash
	Depth       int
	Compacted   bool
	CompactedAt uint64
	Events      []eventLine
}

func (m stateMessage) String() string {
	var b strings.Builder
	b.WriteString(m.Summary)
	b.WriteString("\n\n")
	fmt.Fprintf(&b, "%s%d\n%s%s\n%s%d\n", trailerRevision, m.Revision, trailerMain, m.Main, trailerDepth, m.Depth)
	if m.Compacted {
		b.WriteString(trailerCompacted + "\n")
	}
	if m.CompactedAt > 0 {
		fmt.Fprintf(&b, "%s%d\n", trailerCompactedAt, m.CompactedAt)
	}
	for _, e := range m.Events {
		fmt.Fprintf(&b, "%s%d %s %s\n", trailerEvent, e.Revision, e.Type, strconv.Quote(e.Key))
	}
	return b.String()
}

// parseStateMessage reads a state commit's trailers; ok is false for commits
// that are not state commits (a branch commit that is a parent of one).
func parseStateMessage(msg string) (m stateMessage, ok bool, err error) {
	lines := strings.Split(msg, "\n")
	m.Summary = lines[0]
	for _, line := range lines[1:] {
		switch {
		case strings.HasPrefix(line, trailerRevision):
			m.Revision, err = strconv.ParseUint(strings.TrimPrefix(line, trailerRevision), 10, 64)
			ok = true
		case strings.HasPrefix(line, trailerMain):
			m.Main = plumbing.NewHash(strings.TrimPrefix(line, trailerMain))
		case strings.HasPrefix(line, trailerDepth):
			m.Depth, err = strconv.Atoi(strings.TrimPrefix(line, trailerDepth))
		case line == trailerCompacted:
			m.Compacted = true
		case strings.HasPrefix(line, trailerCompactedAt):
			m.CompactedAt, err = strconv.ParseUint(strings.TrimPrefix(line, trailerCompactedAt), 10, 64)
		case strings.HasPrefix(line, trailerEvent):
			var e eventLine
			e, err = parseEventLine(strings.TrimPrefix(line, trailerEvent))
			m.Events = append(m.Events, e)
		}
		if err != nil {
			return m, ok, fmt.Errorf("state commit trailer %q: %w", line, err)
		}
	}
	return m, ok, nil
}

func parseEventLine(s string) (eventLine, error) {
	rev, rest, _ := strings.Cut(s, " ")
	typ, quoted, _ := strings.Cut(rest, " ")
	r, err := strconv.ParseUint(rev, 10, 64)
	if err != nil {
		return eventLine{}, err
	}
	key, err := strconv.Unquote(quoted)
	if err != nil {
		return eventLine{}, err
	}
	t := EventType(typ)
	if t != Added && t != Modified && t != Deleted {
		return eventLine{}, fmt.Errorf("unknown event type %q", typ)
	}
	return eventLine{Revision: r, Type: t, Key: key}, nil
}

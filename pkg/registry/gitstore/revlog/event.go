package revlog

// EventType says what happened to a key.
type EventType string

const (
	Added    EventType = "ADDED"
	Modified EventType = "MODIFIED"
	Deleted  EventType = "DELETED"
)

// Event is one change of one key. For Deleted, Object is the last value.
type Event struct {
	Type         EventType
	Key          string
	Object       []byte
	Revision     uint64
	Prev         []byte // value before the change; nil for Added
	PrevRevision uint64
}

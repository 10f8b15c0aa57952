package dispatch

import (
	"crypto/sha256"
	"strings"
	"sync"
	"time"

	eventv1 "github.com/fluxcd/pkg/apis/event/v1beta1"
)

// DefaultRateLimit is how long an event suppresses its duplicates, Flux's
// --rate-limit-interval default.
const DefaultRateLimit = 5 * time.Minute

// maxRemembered bounds the events remembered for suppression; beyond it
// the oldest is forgotten early (all expire in the order they came).
const maxRemembered = 10000

// dedup lets an event through once per interval: the same object, message,
// revision and origin revision, as Flux's event rate limit.
type dedup struct {
	interval time.Duration
	now      func() time.Time

	mu      sync.Mutex
	expires map[[32]byte]time.Time
	order   [][32]byte // keys in the order they came, oldest first
}

func newDedup(interval time.Duration) *dedup {
	return &dedup{interval: interval, now: time.Now, expires: map[[32]byte]time.Time{}}
}

// allow reports whether e is not a duplicate, and remembers it.
func (d *dedup) allow(e eventv1.Event) bool {
	key := dedupKey(e)
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	d.expire(now)
	if until, ok := d.expires[key]; ok && now.Before(until) {
		return false
	}
	if len(d.order) >= maxRemembered {
		delete(d.expires, d.order[0])
		d.order = d.order[1:]
	}
	d.expires[key] = now.Add(d.interval)
	d.order = append(d.order, key)
	return true
}

// expire forgets what has expired, oldest first.
func (d *dedup) expire(now time.Time) {
	n := 0
	for n < len(d.order) && !now.Before(d.expires[d.order[n]]) {
		delete(d.expires, d.order[n])
		n++
	}
	if n > 0 {
		d.order = d.order[n:]
	}
}

// dedupKey is what makes two events the same, as Flux's eventKeyFunc:
// the object, the message, and the revisions it carries.
func dedupKey(e eventv1.Event) [32]byte {
	group := e.InvolvedObject.GroupVersionKind().Group + "/"
	parts := []string{"event",
		"name=" + e.InvolvedObject.Name,
		"namespace=" + e.InvolvedObject.Namespace,
		"kind=" + e.InvolvedObject.Kind,
		"message=" + e.Message,
	}
	if v, ok := e.Metadata[group+eventv1.MetaOriginRevisionKey]; ok {
		parts = append(parts, "originRevision="+v)
	}
	if v, ok := e.Metadata[group+eventv1.MetaRevisionKey]; ok {
		parts = append(parts, "revision="+v)
	}
	if v, ok := e.Metadata[group+eventv1.MetaTokenKey]; ok {
		parts = append(parts, "token="+v)
	}
	return sha256.Sum256([]byte(strings.Join(parts, "/")))
}

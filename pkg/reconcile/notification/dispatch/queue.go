package dispatch

import (
	"context"
	"sync/atomic"

	eventv1 "github.com/fluxcd/pkg/apis/event/v1beta1"
	"k8s.io/client-go/tools/cache"

	"gitops.io/apiserver/pkg/reconcile/notification/provider"
)

// job is one notification: an event, as an Alert sends it, for its
// Provider.
type job struct {
	alert, provider cache.ObjectName
	event           eventv1.Event
}

// queue holds a Provider's notifications, at most its capacity; its one
// worker sends them in order, so a slow service delays only its own
// notifications.
type queue struct {
	jobs   chan job
	cancel context.CancelFunc
	// stale asks the worker to make its sender again: the Provider's
	// Secrets changed.
	stale atomic.Bool
	// built is the worker's sender; only the worker touches it.
	built *built
}

func newQueue(parent context.Context, size int, send func(context.Context, *queue, job)) *queue {
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithCancel(parent)
	q := &queue{jobs: make(chan job, size), cancel: cancel}
	go func() {
		defer q.release()
		for {
			select {
			case <-ctx.Done():
				return
			case j := <-q.jobs:
				send(ctx, q, j)
			}
		}
	}()
	return q
}

// offer queues j unless the queue is full.
func (q *queue) offer(j job) bool {
	select {
	case q.jobs <- j:
		return true
	default:
		return false
	}
}

func (q *queue) stop() { q.cancel() }

// release lets the sender's idle connections go; the worker calls it.
func (q *queue) release() {
	if q.built != nil && q.built.sender != nil {
		provider.Close(q.built.sender)
	}
	q.built = nil
}

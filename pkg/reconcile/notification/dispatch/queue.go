package dispatch

import (
	"context"

	eventv1 "github.com/fluxcd/pkg/apis/event/v1beta1"
	"k8s.io/client-go/tools/cache"
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
}

func newQueue(parent context.Context, size int, send func(context.Context, job)) *queue {
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithCancel(parent)
	q := &queue{jobs: make(chan job, size), cancel: cancel}
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case j := <-q.jobs:
				send(ctx, j)
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

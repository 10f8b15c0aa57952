// Package controller feeds the objects of one kind from a shared informer
// through a rate-limited workqueue to that kind's reconciler, the loop every
// reconciler in gitops-apiserver shares.
package controller

import (
	"context"
	"fmt"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/reconcile/metrics"
)

// Retries of a failing object start after minBackoff and double up to
// maxBackoff, but never wait longer than the object's interval.
const (
	minBackoff = time.Second
	maxBackoff = 5 * time.Minute
)

// Object is an object of a reconciled kind.
type Object interface {
	metav1.Object
	runtime.Object
}

// Reconciler brings one object up to date and returns when to look at it
// again (0: only when it changes). An error asks for a retry with backoff.
type Reconciler[T Object] interface {
	Reconcile(ctx context.Context, obj T) (time.Duration, error)
}

// Config describes one kind's controller.
type Config[T Object] struct {
	// Kind names the kind in logs and metrics.
	Kind string
	// Informer and Get read the objects; Get is the lister's.
	Informer cache.SharedIndexInformer
	Get      func(namespace, name string) (T, error)
	// Reconciler is handed every queued object that still exists.
	Reconciler Reconciler[T]
	// Interval is the object's own interval, the longest a retry waits.
	Interval func(T) time.Duration
	// Updated, if set, is told of every update, after the controller has
	// decided whether to queue the object itself; it may queue others.
	Updated func(before, after T)
	// Deleted, if set, cleans up after an object that is gone.
	Deleted func(cache.ObjectName)
	// Started, if set, runs once the informer has synced, before the
	// first object is reconciled.
	Started func(ctx context.Context)
}

// Controller runs a Reconciler over the objects of one kind.
type Controller[T Object] struct {
	config  Config[T]
	backoff workqueue.TypedRateLimiter[cache.ObjectName]
	queue   workqueue.TypedRateLimitingInterface[cache.ObjectName]
}

// New registers with config.Informer; start the informer's factory before Run.
func New[T Object](config Config[T]) (*Controller[T], error) {
	backoff := workqueue.NewTypedItemExponentialFailureRateLimiter[cache.ObjectName](minBackoff, maxBackoff)
	c := &Controller[T]{
		config:  config,
		backoff: backoff,
		queue: workqueue.NewTypedRateLimitingQueueWithConfig(backoff,
			workqueue.TypedRateLimitingQueueConfig[cache.ObjectName]{Name: config.Kind}),
	}
	_, err := config.Informer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    c.Enqueue,
		UpdateFunc: c.updated,
		DeleteFunc: c.deleted,
	})
	return c, err
}

// Enqueue queues obj (an object or a tombstone) for reconciliation.
func (c *Controller[T]) Enqueue(obj any) {
	if name, err := cache.DeletionHandlingObjectToName(obj); err == nil {
		c.queue.Add(name)
	}
}

// EnqueueName queues the object with that namespace and name.
func (c *Controller[T]) EnqueueName(namespace, name string) {
	c.queue.Add(cache.ObjectName{Namespace: namespace, Name: name})
}

// EnqueueNameAfter queues the object with that namespace and name after
// delay; queued again meanwhile, it is reconciled once.
func (c *Controller[T]) EnqueueNameAfter(namespace, name string, delay time.Duration) {
	c.queue.AddAfter(cache.ObjectName{Namespace: namespace, Name: name}, delay)
}

// updated queues spec changes, reconcile requests and deletions, not the
// status writes the reconciler makes itself.
func (c *Controller[T]) updated(oldObj, newObj any) {
	before, ok1 := oldObj.(T)
	after, ok2 := newObj.(T)
	if !ok1 || !ok2 {
		c.Enqueue(newObj)
		return
	}
	if Changed(before, after) {
		c.Enqueue(newObj)
	}
	if c.config.Updated != nil {
		c.config.Updated(before, after)
	}
}

// Changed reports whether an update asks for a reconciliation: a new
// generation, a new reconcile request, or the start of a deletion.
func Changed(before, after metav1.Object) bool {
	return before.GetGeneration() != after.GetGeneration() ||
		RequestTokens(before) != RequestTokens(after) ||
		(before.GetDeletionTimestamp() == nil) != (after.GetDeletionTimestamp() == nil)
}

func (c *Controller[T]) deleted(obj any) {
	name, err := cache.DeletionHandlingObjectToName(obj)
	if err != nil {
		return
	}
	metrics.Forget(c.config.Kind, name.Namespace, name.Name)
	if c.config.Deleted != nil {
		c.config.Deleted(name)
	}
}

// Run reconciles with workers goroutines until ctx ends.
func (c *Controller[T]) Run(ctx context.Context, workers int) {
	defer utilruntime.HandleCrash()
	defer c.queue.ShutDown()
	if !cache.WaitForCacheSync(ctx.Done(), c.config.Informer.HasSynced) {
		return
	}
	if c.config.Started != nil {
		c.config.Started(ctx)
	}
	klog.FromContext(ctx).Info("Reconciling", "kind", c.config.Kind, "workers", workers)
	for range workers {
		go wait.UntilWithContext(ctx, c.work, time.Second)
	}
	<-ctx.Done()
}

func (c *Controller[T]) work(ctx context.Context) {
	for c.next(ctx) {
	}
}

func (c *Controller[T]) next(ctx context.Context) bool {
	name, shutdown := c.queue.Get()
	if shutdown {
		return false
	}
	defer c.queue.Done(name)
	obj, err := c.config.Get(name.Namespace, name.Name)
	if apierrors.IsNotFound(err) {
		c.forget(name)
		return true
	}
	if err != nil {
		utilruntime.HandleErrorWithContext(ctx, err, "Reading from the cache", "kind", c.config.Kind, "object", name)
		return true
	}
	start := time.Now()
	after, err := c.reconcile(ctx, obj)
	metrics.ObserveReconcile(c.config.Kind, name.Namespace, name.Name, time.Since(start), err)
	if err != nil {
		klog.FromContext(ctx).Info("Reconciling failed; retrying", "kind", c.config.Kind, "object", name, "err", err.Error())
		c.queue.AddAfter(name, min(c.backoff.When(name), c.config.Interval(obj)))
		return true
	}
	c.forget(name)
	if after > 0 {
		c.queue.AddAfter(name, jittered(after))
	}
	return true
}

// reconcile runs the reconciler, turning a panic into an error so one bad
// object never takes the server down.
func (c *Controller[T]) reconcile(ctx context.Context, obj T) (after time.Duration, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("reconciler panicked: %v", p)
		}
	}()
	return c.config.Reconciler.Reconcile(ctx, obj)
}

func (c *Controller[T]) forget(name cache.ObjectName) {
	c.backoff.Forget(name)
	c.queue.Forget(name)
}

package gitrepository

import (
	"context"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/labels"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	gitopsinformers "gitops.io/apiserver/pkg/generated/informers/externalversions/gitops/v1alpha1"
	listers "gitops.io/apiserver/pkg/generated/listers/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/metrics"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// Retries of a failing object start after minBackoff and double up to
// maxBackoff, but never wait longer than the object's interval.
const (
	minBackoff = time.Second
	maxBackoff = 5 * time.Minute
)

// Controller feeds GitRepositories from an informer through a rate-limited
// workqueue to the Reconciler.
type Controller struct {
	reconciler *Reconciler
	informer   cache.SharedIndexInformer
	lister     listers.GitRepositoryLister
	backoff    workqueue.TypedRateLimiter[cache.ObjectName]
	queue      workqueue.TypedRateLimitingInterface[cache.ObjectName]
}

// NewController registers with informer; start the informer's factory
// before Run.
func NewController(informer gitopsinformers.GitRepositoryInformer, r *Reconciler) (*Controller, error) {
	backoff := workqueue.NewTypedItemExponentialFailureRateLimiter[cache.ObjectName](minBackoff, maxBackoff)
	c := &Controller{
		reconciler: r,
		informer:   informer.Informer(),
		lister:     informer.Lister(),
		backoff:    backoff,
		queue: workqueue.NewTypedRateLimitingQueueWithConfig(backoff,
			workqueue.TypedRateLimitingQueueConfig[cache.ObjectName]{Name: "gitrepositories"}),
	}
	_, err := c.informer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    c.enqueue,
		UpdateFunc: c.updated,
		DeleteFunc: c.deleted,
	})
	return c, err
}

func (c *Controller) enqueue(obj any) {
	if name, err := cache.ObjectToName(obj); err == nil {
		c.queue.Add(name)
	}
}

// updated enqueues spec changes and reconcile requests, not the status
// writes the reconciler makes itself.
func (c *Controller) updated(oldObj, newObj any) {
	before, ok1 := oldObj.(*v1alpha1.GitRepository)
	after, ok2 := newObj.(*v1alpha1.GitRepository)
	if !ok1 || !ok2 || before.Generation != after.Generation ||
		source.RequestTokens(before) != source.RequestTokens(after) {
		c.enqueue(newObj)
	}
	if ok1 && ok2 && artifactDigest(before) != artifactDigest(after) {
		c.enqueueIncluders(after)
	}
}

func artifactDigest(obj *v1alpha1.GitRepository) string {
	if obj.Status.Artifact == nil {
		return ""
	}
	return obj.Status.Artifact.Digest
}

// enqueueIncluders enqueues the GitRepositories whose spec.include names
// obj, so they take in its new artifact.
func (c *Controller) enqueueIncluders(obj *v1alpha1.GitRepository) {
	all, err := c.lister.GitRepositories(obj.Namespace).List(labels.Everything())
	if err != nil {
		return
	}
	for _, other := range all {
		for _, include := range other.Spec.Include {
			if include.GitRepositoryRef.Name == obj.Name {
				c.enqueue(other)
				break
			}
		}
	}
}

// deleted removes the object's artifacts: nothing can fetch them any more.
func (c *Controller) deleted(obj any) {
	name, err := cache.DeletionHandlingObjectToName(obj)
	if err != nil {
		return
	}
	metrics.Forget(kind, name.Namespace, name.Name)
	if err := c.reconciler.Storage.RemoveAll(kind, name.Namespace, name.Name); err != nil {
		klog.Background().Error(err, "Removing artifacts of deleted GitRepository", "gitrepository", name)
	}
}

// Run reconciles with workers goroutines until ctx ends.
func (c *Controller) Run(ctx context.Context, workers int) {
	defer utilruntime.HandleCrash()
	defer c.queue.ShutDown()
	logger := klog.FromContext(ctx)
	if !cache.WaitForCacheSync(ctx.Done(), c.informer.HasSynced) {
		return
	}
	c.removeOrphanedArtifacts(ctx)
	logger.Info("Reconciling GitRepositories", "workers", workers)
	for range workers {
		go wait.UntilWithContext(ctx, c.work, time.Second)
	}
	<-ctx.Done()
}

func (c *Controller) work(ctx context.Context) {
	for c.next(ctx) {
	}
}

func (c *Controller) next(ctx context.Context) bool {
	name, shutdown := c.queue.Get()
	if shutdown {
		return false
	}
	defer c.queue.Done(name)
	obj, err := c.lister.GitRepositories(name.Namespace).Get(name.Name)
	if apierrors.IsNotFound(err) {
		c.forget(name)
		return true
	}
	if err != nil {
		utilruntime.HandleErrorWithContext(ctx, err, "Reading GitRepository from the cache", "gitrepository", name)
		return true
	}
	start := time.Now()
	after, err := c.reconcile(ctx, obj)
	metrics.ObserveReconcile(kind, name.Namespace, name.Name, time.Since(start), err)
	if err != nil {
		klog.FromContext(ctx).Info("Reconciling GitRepository failed; retrying", "gitrepository", name, "err", err.Error())
		c.queue.AddAfter(name, min(c.backoff.When(name), intervalOf(obj)))
		return true
	}
	c.forget(name)
	if after > 0 {
		c.queue.AddAfter(name, after)
	}
	return true
}

// reconcile runs the reconciler, turning a panic into an error so one bad
// object never takes the server down.
func (c *Controller) reconcile(ctx context.Context, obj *v1alpha1.GitRepository) (after time.Duration, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = panicError{p}
		}
	}()
	return c.reconciler.Reconcile(ctx, obj)
}

func (c *Controller) forget(name cache.ObjectName) {
	c.backoff.Forget(name)
	c.queue.Forget(name)
}

// removeOrphanedArtifacts removes the artifacts of GitRepositories deleted
// while no reconciler watched, which no delete event will tell about.
func (c *Controller) removeOrphanedArtifacts(ctx context.Context) {
	logger := klog.FromContext(ctx)
	objects, err := c.reconciler.Storage.Objects(kind)
	if err != nil {
		logger.Error(err, "Listing stored artifacts")
		return
	}
	for _, o := range objects {
		if _, err := c.lister.GitRepositories(o.Namespace).Get(o.Name); !apierrors.IsNotFound(err) {
			continue
		}
		logger.Info("Removing artifacts of a deleted GitRepository", "gitrepository", klog.KRef(o.Namespace, o.Name))
		if err := c.reconciler.Storage.RemoveAll(kind, o.Namespace, o.Name); err != nil {
			logger.Error(err, "Removing artifacts", "gitrepository", klog.KRef(o.Namespace, o.Name))
		}
	}
}

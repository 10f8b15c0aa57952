package dispatch

import (
	"context"
	"fmt"
	"sync"
	"time"

	eventv1 "github.com/fluxcd/pkg/apis/event/v1beta1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	listers "gitops.io/apiserver/pkg/generated/listers/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/metrics"
	"gitops.io/apiserver/pkg/reconcile/secretref"
)

// Sizes of the queues: events waiting to be matched, and notifications
// waiting for each Provider.
const (
	DefaultIntakeSize = 4096
	DefaultQueueSize  = 256
)

// Config is what a Dispatcher reads and whom it tells.
type Config struct {
	// Scheme names the kinds of recorded objects.
	Scheme *runtime.Scheme
	// Alerts and Providers are read from the informers' caches.
	Alerts    listers.AlertLister
	Providers listers.ProviderLister
	// Synced, if set, reports whether the listers' caches have synced; Run
	// waits for it, and events wait in the intake meanwhile.
	Synced cache.InformerSynced
	// Secrets reads the Providers' Secrets.
	Secrets secretref.Reader
	// Events records the Warnings of failed deliveries on the Alerts; these
	// are not dispatched themselves. Nil records none.
	Events record.EventRecorder
	// NoCrossNamespaceRefs keeps an Alert to its own namespace's events.
	NoCrossNamespaceRefs bool
	// RateLimit is how long an event suppresses its duplicates;
	// DefaultRateLimit when 0.
	RateLimit time.Duration
	// Controller and Instance are the events' reportingController and
	// reportingInstance.
	Controller, Instance string
	// Delivered, if set, is told that an Alert has a new delivery outcome:
	// once, until Deliveries reads the Alert's outcomes.
	Delivered func(alert cache.ObjectName)
	// IntakeSize and QueueSize default to DefaultIntakeSize and
	// DefaultQueueSize.
	IntakeSize, QueueSize int
}

// Dispatcher takes recorded events to the Alerts that select them and on
// to their Providers.
type Dispatcher struct {
	cfg     Config
	intake  chan Event
	dedup   *dedup
	matcher matcher

	mu       sync.Mutex
	ctx      context.Context // Run's, which the queues' workers run in
	queues   map[cache.ObjectName]*queue
	outcomes outcomes
}

// New makes a Dispatcher; events recorded before Run wait in its intake.
func New(cfg Config) *Dispatcher {
	if cfg.RateLimit <= 0 {
		cfg.RateLimit = DefaultRateLimit
	}
	if cfg.IntakeSize <= 0 {
		cfg.IntakeSize = DefaultIntakeSize
	}
	if cfg.QueueSize <= 0 {
		cfg.QueueSize = DefaultQueueSize
	}
	return &Dispatcher{
		cfg:      cfg,
		intake:   make(chan Event, cfg.IntakeSize),
		dedup:    newDedup(cfg.RateLimit),
		matcher:  matcher{noCrossNamespaceRefs: cfg.NoCrossNamespaceRefs},
		queues:   map[cache.ObjectName]*queue{},
		outcomes: outcomes{},
	}
}

// Record hands an event to the dispatcher; it never blocks: with the
// intake full the event is dropped and counted.
func (d *Dispatcher) Record(obj runtime.Object, metadata map[string]string, eventtype, reason, message string) {
	e, ok := newEvent(d.cfg.Scheme, obj, metadata, eventtype, reason, message, d.cfg.Controller, d.cfg.Instance)
	if !ok {
		return
	}
	select {
	case d.intake <- e:
	default:
		metrics.ObserveNotification(metrics.NotificationDropped)
	}
}

// Run dispatches events until ctx ends.
func (d *Dispatcher) Run(ctx context.Context) {
	d.mu.Lock()
	d.ctx = ctx
	d.mu.Unlock()
	if d.cfg.Synced != nil && !cache.WaitForCacheSync(ctx.Done(), d.cfg.Synced) {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case e := <-d.intake:
			d.dispatch(ctx, &e)
		}
	}
}

// dispatch queues e on the Provider of every Alert that takes it.
func (d *Dispatcher) dispatch(ctx context.Context, e *Event) {
	if !d.dedup.allow(e.Event) {
		metrics.ObserveNotification(metrics.NotificationDuplicate)
		return
	}
	alerts, err := d.cfg.Alerts.List(labels.Everything())
	if err != nil {
		klog.FromContext(ctx).Error(err, "Listing Alerts")
		return
	}
	matched := false
	for _, alert := range alerts {
		if !d.matcher.matches(alert, e) {
			continue
		}
		matched = true
		provider := cache.ObjectName{Namespace: alert.Namespace, Name: alert.Spec.ProviderRef.Name}
		j := job{alert: cache.ObjectName{Namespace: alert.Namespace, Name: alert.Name}, provider: provider,
			event: notification(e, alert)}
		p, err := d.cfg.Providers.Providers(provider.Namespace).Get(provider.Name)
		if err != nil {
			// As Flux: the Alert's failure, and no queue for a Provider
			// that is not there.
			d.failed(j, providerError(provider, err))
			continue
		}
		if p.Spec.Suspend {
			continue
		}
		if !takes(p.Spec.Type, &j.event) {
			continue
		}
		q := d.queue(provider)
		if q == nil { // deleted since
			d.failed(j, providerError(provider, apierrors.NewNotFound(v1alpha1.Resource("providers"), provider.Name)))
			continue
		}
		if q.offer(j) {
			metrics.ObserveNotification(metrics.NotificationQueued)
			continue
		}
		metrics.ObserveNotification(metrics.NotificationDropped)
		d.outcomes.dropped(j.alert, provider.Name)
		d.delivered(j.alert)
	}
	if !matched {
		metrics.ObserveNotification(metrics.NotificationUnmatched)
	}
}

// queue is the Provider's queue, started on first use; nil if the
// Provider is not in the lister. The informer removes a deleted Provider
// from the lister before ForgetProvider is called, and both hold d.mu:
// a queue forgotten is never started again for the deleted Provider.
func (d *Dispatcher) queue(provider cache.ObjectName) *queue {
	d.mu.Lock()
	defer d.mu.Unlock()
	q, ok := d.queues[provider]
	if !ok {
		if _, err := d.cfg.Providers.Providers(provider.Namespace).Get(provider.Name); err != nil {
			return nil
		}
		q = newQueue(d.ctx, d.cfg.QueueSize, d.deliver)
		d.queues[provider] = q
	}
	return q
}

// ForgetProvider stops the queue of a deleted Provider; what waits in it
// is dropped.
func (d *Dispatcher) ForgetProvider(provider cache.ObjectName) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if q, ok := d.queues[provider]; ok {
		q.stop()
		delete(d.queues, provider)
	}
}

// ForgetAlert drops the outcomes of a deleted Alert.
func (d *Dispatcher) ForgetAlert(alert cache.ObjectName) {
	d.outcomes.forget(alert)
}

// takes reports whether a Provider of type t takes event. As in Flux, an
// event that only updates a commit status (metadata commit_status: update)
// goes only to the Providers that post commit statuses, and to generic
// webhooks.
func takes(t v1alpha1.ProviderType, event *eventv1.Event) bool {
	if !event.HasMetadata(eventv1.MetaCommitStatusKey, eventv1.MetaCommitStatusUpdateValue) {
		return true
	}
	return t.PostsCommitStatus() || t == v1alpha1.ProviderGeneric
}

// providerError is the error of a notification whose Provider could not
// be read.
func providerError(provider cache.ObjectName, err error) error {
	if apierrors.IsNotFound(err) {
		return fmt.Errorf("no Provider '%s'", provider)
	}
	return err
}

// delivered tells the Alert's reconciler that it has new outcomes, once
// until it reads them: a flood of drops or failures is one call.
func (d *Dispatcher) delivered(alert cache.ObjectName) {
	if d.cfg.Delivered != nil && d.outcomes.tell(alert) {
		d.cfg.Delivered(alert)
	}
}

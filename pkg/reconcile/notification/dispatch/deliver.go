package dispatch

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/metrics"
	"gitops.io/apiserver/pkg/reconcile/notification/provider"
)

// DefaultTimeout bounds one delivery, retries included, when the Provider
// sets no spec.timeout; Flux's default.
const DefaultTimeout = 15 * time.Second

// FailedReason is the reason of the Warning recorded on an Alert whose
// notification failed, as Flux's.
const FailedReason = "NotificationDispatchFailed"

// configRetry is how long a Provider whose Secrets could not be read
// waits before a notification reads them again; a change of the Provider
// or of its Secrets reads them at once.
const configRetry = 30 * time.Second

// built is a Provider's sender as its queue's worker keeps it, so that a
// notification neither reads the Provider's Secrets from the cluster nor
// opens new connections. It is made again when the Provider changes (its
// resourceVersion), when one of its Secrets does (the queue is stale),
// and configRetry after it failed.
type built struct {
	resourceVersion string
	at              time.Time
	config          provider.Config
	sender          provider.Sender
	err             error
}

// sender is q's sender for p, made again if needed. The error is masked.
func (d *Dispatcher) sender(ctx context.Context, q *queue, p *v1alpha1.Provider) (provider.Sender, provider.Config, error) {
	b := q.built
	stale := q.stale.Swap(false)
	if stale || b == nil || b.resourceVersion != p.ResourceVersion || (b.err != nil && time.Since(b.at) >= configRetry) {
		q.release()
		b = &built{resourceVersion: p.ResourceVersion, at: time.Now()}
		b.config, b.err = provider.Configure(ctx, d.cfg.Secrets, p)
		if b.err == nil {
			b.sender, b.err = provider.New(p.Spec.Type, b.config.Options)
		}
		if b.err != nil {
			b.err = fmt.Errorf("%s", b.config.Mask(b.err.Error()))
		}
		q.built = b
	}
	return b.sender, b.config, b.err
}

// RefreshProvider makes the Provider's queue read its Secrets again
// before its next notification: one of them changed.
func (d *Dispatcher) RefreshProvider(name cache.ObjectName) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if q, ok := d.queues[name]; ok {
		q.stale.Store(true)
	}
}

// deliver sends j through its Provider as it is now, with q's sender,
// and records the outcome for the Alert.
func (d *Dispatcher) deliver(ctx context.Context, q *queue, j job) {
	p, err := d.cfg.Providers.Providers(j.provider.Namespace).Get(j.provider.Name)
	if err != nil {
		d.failed(j, providerError(j.provider, err))
		return
	}
	if p.Spec.Suspend {
		return
	}
	timeout := DefaultTimeout
	if p.Spec.Timeout != nil && p.Spec.Timeout.Duration > 0 {
		timeout = p.Spec.Timeout.Duration
	}
	queueCtx := ctx
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	sender, config, err := d.sender(ctx, q, p)
	if err != nil {
		d.failed(j, err)
		return
	}
	if err := sender.Post(ctx, j.event); err != nil {
		if queueCtx.Err() != nil {
			return // the Provider was deleted, or the server stops: no outcome
		}
		d.failed(j, fmt.Errorf("%s", config.Mask(err.Error())))
		return
	}
	metrics.ObserveNotification(metrics.NotificationDelivered)
	d.outcomes.succeeded(j.alert, j.provider.Name, time.Now())
	d.delivered(j.alert)
}

// failed records a failed notification: a Warning on the Alert, as Flux
// does, and the error for its status. err has its secrets masked.
func (d *Dispatcher) failed(j job, err error) {
	metrics.ObserveNotification(metrics.NotificationFailed)
	object := fmt.Sprintf("%s/%s/%s", j.event.InvolvedObject.Kind, j.event.InvolvedObject.Namespace, j.event.InvolvedObject.Name)
	klog.Background().Info("Sending a notification failed", "alert", j.alert, "provider", j.provider, "object", object, "err", err.Error())
	if d.cfg.Events != nil {
		if alert, getErr := d.cfg.Alerts.Alerts(j.alert.Namespace).Get(j.alert.Name); getErr == nil {
			d.cfg.Events.Eventf(alert, corev1.EventTypeWarning, FailedReason,
				"failed to send notification for %s: %s", object, err)
		}
	}
	d.outcomes.failed(j.alert, j.provider.Name, time.Now(), err.Error())
	d.delivered(j.alert)
}

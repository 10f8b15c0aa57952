package dispatch

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/reconcile/metrics"
	"gitops.io/apiserver/pkg/reconcile/notification/provider"
)

// DefaultTimeout bounds one delivery, retries included, when the Provider
// sets no spec.timeout; Flux's default.
const DefaultTimeout = 15 * time.Second

// FailedReason is the reason of the Warning recorded on an Alert whose
// notification failed, as Flux's.
const FailedReason = "NotificationDispatchFailed"

// deliver sends j through its Provider as it is now, and records the
// outcome for the Alert.
func (d *Dispatcher) deliver(ctx context.Context, j job) {
	p, err := d.cfg.Providers.Providers(j.provider.Namespace).Get(j.provider.Name)
	if apierrors.IsNotFound(err) {
		err = fmt.Errorf("Provider '%s' not found", j.provider)
	}
	if err != nil {
		d.failed(j, err)
		return
	}
	if p.Spec.Suspend {
		return
	}
	timeout := DefaultTimeout
	if p.Spec.Timeout != nil && p.Spec.Timeout.Duration > 0 {
		timeout = p.Spec.Timeout.Duration
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	config, err := provider.Configure(ctx, d.cfg.Secrets, p)
	if err != nil {
		d.failed(j, err)
		return
	}
	sender, err := provider.New(p.Spec.Type, config.Options)
	if err == nil {
		err = sender.Post(ctx, j.event)
	}
	if err != nil {
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

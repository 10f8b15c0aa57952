// Package metrics holds the reconcilers' Prometheus metrics, named as Flux
// names them so that Flux's dashboards and alerts work unchanged. They are
// served on the API server's /metrics.
package metrics

import (
	"sync"
	"time"

	"k8s.io/component-base/metrics"
	"k8s.io/component-base/metrics/legacyregistry"
)

var (
	reconcileDuration = metrics.NewHistogramVec(&metrics.HistogramOpts{
		Name:           "gotk_reconcile_duration_seconds",
		Help:           "How long a reconciliation took, in seconds.",
		Buckets:        metrics.ExponentialBuckets(0.01, 10, 5),
		StabilityLevel: metrics.ALPHA,
	}, []string{"kind", "name", "namespace"})

	reconciles = metrics.NewCounterVec(&metrics.CounterOpts{
		Name:           "gitops_reconcile_total",
		Help:           "Reconciliations by kind and result (success or failure).",
		StabilityLevel: metrics.ALPHA,
	}, []string{"kind", "result"})

	notifications = metrics.NewCounterVec(&metrics.CounterOpts{
		Name: "gitops_notification_events_total",
		Help: "Events the notification dispatcher took, by outcome: duplicate (suppressed), unmatched (no Alert), " +
			"queued, dropped (a queue was full), delivered and failed.",
		StabilityLevel: metrics.ALPHA,
	}, []string{"outcome"})

	register sync.Once
)

// Register adds the metrics to the server's registry; it may be called
// more than once.
func Register() {
	register.Do(func() {
		legacyregistry.MustRegister(reconcileDuration, reconciles, notifications)
	})
}

// ObserveReconcile records one reconciliation of namespace/name of kind.
func ObserveReconcile(kind, namespace, name string, took time.Duration, err error) {
	reconcileDuration.WithLabelValues(kind, name, namespace).Observe(took.Seconds())
	result := "success"
	if err != nil {
		result = "failure"
	}
	reconciles.WithLabelValues(kind, result).Inc()
}

// Forget drops the series of a deleted object, so they do not pile up.
func Forget(kind, namespace, name string) {
	reconcileDuration.DeleteLabelValues(kind, name, namespace)
}

// Notification outcomes of ObserveNotification.
const (
	NotificationDuplicate = "duplicate"
	NotificationUnmatched = "unmatched"
	NotificationQueued    = "queued"
	NotificationDropped   = "dropped"
	NotificationDelivered = "delivered"
	NotificationFailed    = "failed"
)

// ObserveNotification counts one event (or one notification of it) with
// that outcome.
func ObserveNotification(outcome string) {
	notifications.WithLabelValues(outcome).Inc()
}

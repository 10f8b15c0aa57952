package notification

import (
	"context"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/cache"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	gitopsclient "gitops.io/apiserver/pkg/generated/clientset/versioned/typed/gitops/v1alpha1"
	listers "gitops.io/apiserver/pkg/generated/listers/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/conditions"
	"gitops.io/apiserver/pkg/reconcile/controller"
	"gitops.io/apiserver/pkg/reconcile/notification/dispatch"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// An Alert waiting for its Provider looks again every alertRetry, besides
// being woken when the Provider changes.
const (
	alertInterval = 10 * time.Minute
	alertRetry    = time.Minute
	alertTimeout  = 30 * time.Second
)

// deliveriesWriteDelay is how long an Alert's new delivery outcomes wait
// to be written to its status, so that a busy Alert makes one commit of
// the storage repository for many deliveries, not one for each.
const deliveriesWriteDelay = 10 * time.Second

// AlertReconciler checks Alerts and shows their deliveries.
type AlertReconciler struct {
	Client    gitopsclient.GitopsV1alpha1Interface
	Providers listers.ProviderLister
	// Dispatcher knows the deliveries; nil shows none.
	Dispatcher *dispatch.Dispatcher
	// NoCrossNamespaceRefs refuses eventSources in another namespace.
	NoCrossNamespaceRefs bool
}

// alertRun is what the Alert's steps hand each other: nothing.
type alertRun struct{}

// Kind is the Alert on the reconciler runtime.
func (r *AlertReconciler) Kind() *controller.Kind[*v1alpha1.Alert, alertRun] {
	return &controller.Kind[*v1alpha1.Alert, alertRun]{
		Name: v1alpha1.AlertKind,
		UpdateStatus: func(ctx context.Context, obj *v1alpha1.Alert) (*v1alpha1.Alert, error) {
			return r.Client.Alerts(obj.Namespace).UpdateStatus(ctx, obj, metav1.UpdateOptions{})
		},
		Schedule: func(obj *v1alpha1.Alert) controller.Schedule {
			return controller.Schedule{Suspend: obj.Spec.Suspend, Interval: alertInterval,
				RetryInterval: alertRetry, Timeout: alertTimeout}
		},
		Steps: []controller.Step[*v1alpha1.Alert, alertRun]{
			{Name: "sources", Run: r.checkSources},
			{Name: "provider", Run: r.checkProvider},
		},
		Summarize: summarizeAlert,
		Finish: func(obj, _ *v1alpha1.Alert, _ *alertRun, _ error) {
			if r.Dispatcher != nil {
				name := cache.ObjectName{Namespace: obj.Namespace, Name: obj.Name}
				obj.Status.Deliveries = r.Dispatcher.Deliveries(name, obj.Spec.ProviderRef.Name, obj.Status.Deliveries)
			}
		},
	}
}

// Reconcile runs the Alert's steps on the runtime.
func (r *AlertReconciler) Reconcile(ctx context.Context, obj *v1alpha1.Alert) (time.Duration, error) {
	return r.Kind().Reconcile(ctx, obj)
}

// checkSources stalls an Alert that selects another namespace's objects
// when --no-cross-namespace-refs forbids it; the dispatcher ignores them.
func (r *AlertReconciler) checkSources(_ context.Context, obj *v1alpha1.Alert, _ *alertRun) error {
	if !r.NoCrossNamespaceRefs {
		return nil
	}
	for i, source := range obj.Spec.EventSources {
		if source.Namespace != "" && source.Namespace != obj.Namespace {
			return outcome.Stalled(v1alpha1.AccessDeniedReason,
				"spec.eventSources[%d]: cross-namespace references are not allowed: namespace '%s'", i, source.Namespace)
		}
	}
	return nil
}

// checkProvider waits for the Alert's Provider to be Ready.
func (r *AlertReconciler) checkProvider(_ context.Context, obj *v1alpha1.Alert, _ *alertRun) error {
	name := obj.Spec.ProviderRef.Name
	p, err := r.Providers.Providers(obj.Namespace).Get(name)
	if apierrors.IsNotFound(err) {
		return outcome.Waiting(ProviderNotReadyReason, "Provider '%s/%s' not found", obj.Namespace, name)
	}
	if err != nil {
		return err
	}
	if !conditions.IsReady(p) {
		return outcome.Waiting(ProviderNotReadyReason, "Provider '%s/%s' is not ready", obj.Namespace, name)
	}
	return nil
}

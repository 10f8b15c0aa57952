package notification

import (
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	gitopsclient "gitops.io/apiserver/pkg/generated/clientset/versioned/typed/gitops/v1alpha1"
	gitopsinformers "gitops.io/apiserver/pkg/generated/informers/externalversions/gitops/v1alpha1"
	listers "gitops.io/apiserver/pkg/generated/listers/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/conditions"
	"gitops.io/apiserver/pkg/reconcile/controller"
	"gitops.io/apiserver/pkg/reconcile/notification/dispatch"
	"gitops.io/apiserver/pkg/reconcile/secretref"
)

// Options are what the notification kinds are built from.
type Options struct {
	Client  gitopsclient.GitopsV1alpha1Interface
	Secrets secretref.Reader
	// Scheme names the kinds of the objects events are recorded about.
	Scheme *runtime.Scheme
	// Events records Kubernetes Events about Alerts (failed deliveries);
	// these are not dispatched. Nil records none.
	Events record.EventRecorder
	// NoCrossNamespaceRefs keeps Alerts to their own namespace.
	NoCrossNamespaceRefs bool
	// Controller and Instance name the sender in notifications.
	Controller, Instance string
}

// Controllers are the Provider and Alert controllers and the dispatcher;
// run all three.
type Controllers struct {
	Providers  *controller.Controller[*v1alpha1.Provider]
	Alerts     *controller.Controller[*v1alpha1.Alert]
	Dispatcher *dispatch.Dispatcher
}

// Recorder is next, recording also to the dispatcher: the event recorder
// of every other reconciler.
func (c *Controllers) Recorder(next record.EventRecorder) record.EventRecorder {
	return dispatch.Recorder{Next: next, Dispatcher: c.Dispatcher}
}

// WakeProvider reconciles a Provider whose Secret changed, and has the
// dispatcher read its Secrets again before its next notification.
func (c *Controllers) WakeProvider(obj any) {
	if p, ok := obj.(*v1alpha1.Provider); ok {
		c.Dispatcher.RefreshProvider(cache.ObjectName{Namespace: p.Namespace, Name: p.Name})
	}
	c.Providers.Enqueue(obj)
}

// New builds the controllers on the informers; start the informers'
// factory after it.
func New(informers gitopsinformers.Interface, o Options) (*Controllers, error) {
	providers, alerts := informers.Providers(), informers.Alerts()
	c := &Controllers{}
	c.Dispatcher = dispatch.New(dispatch.Config{
		Scheme: o.Scheme, Alerts: alerts.Lister(), Providers: providers.Lister(), Secrets: o.Secrets,
		Synced: func() bool { return alerts.Informer().HasSynced() && providers.Informer().HasSynced() },
		Events: o.Events, NoCrossNamespaceRefs: o.NoCrossNamespaceRefs,
		Controller: o.Controller, Instance: o.Instance,
		Delivered: func(alert cache.ObjectName) {
			c.Alerts.EnqueueNameAfter(alert.Namespace, alert.Name, deliveriesWriteDelay)
		},
	})
	alertKind := (&AlertReconciler{Client: o.Client, Providers: providers.Lister(), Dispatcher: c.Dispatcher,
		NoCrossNamespaceRefs: o.NoCrossNamespaceRefs}).Kind()
	var err error
	c.Alerts, err = controller.New(controller.Config[*v1alpha1.Alert]{
		Kind:     v1alpha1.AlertKind,
		Informer: alerts.Informer(),
		Get: func(namespace, name string) (*v1alpha1.Alert, error) {
			return alerts.Lister().Alerts(namespace).Get(name)
		},
		Reconciler: alertKind,
		Interval:   alertKind.RetryInterval,
		Deleted:    c.Dispatcher.ForgetAlert,
	})
	if err != nil {
		return nil, err
	}
	providerKind := (&ProviderReconciler{Client: o.Client, Secrets: o.Secrets}).Kind()
	wakeAlerts := func(provider cache.ObjectName) { enqueueAlertsOf(c.Alerts, alerts.Lister(), provider) }
	c.Providers, err = controller.New(controller.Config[*v1alpha1.Provider]{
		Kind:     v1alpha1.ProviderKind,
		Informer: providers.Informer(),
		Get: func(namespace, name string) (*v1alpha1.Provider, error) {
			return providers.Lister().Providers(namespace).Get(name)
		},
		Reconciler: providerKind,
		Interval:   providerKind.RetryInterval,
		Updated: func(before, after *v1alpha1.Provider) {
			if conditions.IsReady(before) != conditions.IsReady(after) {
				wakeAlerts(cache.ObjectName{Namespace: after.Namespace, Name: after.Name})
			}
		},
		Deleted: func(provider cache.ObjectName) {
			c.Dispatcher.ForgetProvider(provider)
			wakeAlerts(provider)
		},
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// enqueueAlertsOf wakes the Alerts that send through provider.
func enqueueAlertsOf(c *controller.Controller[*v1alpha1.Alert], alerts listers.AlertLister, provider cache.ObjectName) {
	all, err := alerts.Alerts(provider.Namespace).List(labels.Everything())
	if err != nil {
		return
	}
	for _, alert := range all {
		if alert.Spec.ProviderRef.Name == provider.Name {
			c.Enqueue(alert)
		}
	}
}

package dispatch

import (
	"sync"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/cache"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// maxErrorLength bounds the error kept for an Alert's status.
const maxErrorLength = 1024

// outcomes is the latest delivery outcome of every Alert, by Provider,
// which the Alert's reconciler copies into its status.
type outcomes struct {
	mu sync.Mutex
	by map[cache.ObjectName]map[string]*v1alpha1.AlertDelivery
	// unread are the Alerts whose reconciler was told of outcomes it has
	// not read yet.
	unread map[cache.ObjectName]bool
}

// tell marks alert's outcomes unread, and reports whether they were all
// read before: only then is its reconciler told again.
func (o *outcomes) tell(alert cache.ObjectName) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.unread[alert] {
		return false
	}
	if o.unread == nil {
		o.unread = map[cache.ObjectName]bool{}
	}
	o.unread[alert] = true
	return true
}

func (o *outcomes) entry(alert cache.ObjectName, provider string) *v1alpha1.AlertDelivery {
	if o.by == nil {
		o.by = map[cache.ObjectName]map[string]*v1alpha1.AlertDelivery{}
	}
	if o.by[alert] == nil {
		o.by[alert] = map[string]*v1alpha1.AlertDelivery{}
	}
	if o.by[alert][provider] == nil {
		o.by[alert][provider] = &v1alpha1.AlertDelivery{Provider: provider}
	}
	return o.by[alert][provider]
}

func (o *outcomes) succeeded(alert cache.ObjectName, provider string, at time.Time) {
	o.mu.Lock()
	defer o.mu.Unlock()
	t := metav1.NewTime(at)
	o.entry(alert, provider).LastDeliveryTime = &t
}

func (o *outcomes) failed(alert cache.ObjectName, provider string, at time.Time, err string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(err) > maxErrorLength {
		err = err[:maxErrorLength] + "..."
	}
	t := metav1.NewTime(at)
	e := o.entry(alert, provider)
	e.LastErrorTime, e.LastError = &t, err
}

func (o *outcomes) dropped(alert cache.ObjectName, provider string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.entry(alert, provider).Dropped++
}

func (o *outcomes) forget(alert cache.ObjectName) {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.by, alert)
	delete(o.unread, alert)
}

// Deliveries is what the dispatcher knows of alert's deliveries through
// provider, its spec.providerRef.name, merged over what its status
// already says (from an earlier run of the server). The outcomes of
// Providers the Alert no longer names are dropped. The Alert's reconciler
// is told again of outcomes newer than this read.
func (d *Dispatcher) Deliveries(alert cache.ObjectName, provider string, status []v1alpha1.AlertDelivery) []v1alpha1.AlertDelivery {
	d.outcomes.mu.Lock()
	defer d.outcomes.mu.Unlock()
	delete(d.outcomes.unread, alert)
	var m v1alpha1.AlertDelivery
	found := false
	for _, s := range status {
		if s.Provider == provider {
			m, found = *s.DeepCopy(), true
		}
	}
	for name := range d.outcomes.by[alert] {
		if name != provider {
			delete(d.outcomes.by[alert], name)
		}
	}
	if e := d.outcomes.by[alert][provider]; e != nil {
		if e.LastDeliveryTime != nil {
			m.LastDeliveryTime = e.LastDeliveryTime.DeepCopy()
		}
		if e.LastErrorTime != nil {
			m.LastErrorTime, m.LastError = e.LastErrorTime.DeepCopy(), e.LastError
		}
		m.Dropped = e.Dropped
		found = true
	}
	if !found {
		return nil
	}
	m.Provider = provider
	return []v1alpha1.AlertDelivery{m}
}

package dispatch

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	eventv1 "github.com/fluxcd/pkg/apis/event/v1beta1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	gitopsscheme "gitops.io/apiserver/pkg/generated/clientset/versioned/scheme"
	listers "gitops.io/apiserver/pkg/generated/listers/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/events"
	"gitops.io/apiserver/pkg/reconcile/secretref"
)

// hook is a loopback webhook that keeps the messages it got.
type hook struct {
	mu       sync.Mutex
	messages []string
	got      chan string
	statuses []int
}

func newHook(t *testing.T, statuses ...int) (*hook, string) {
	h := &hook{got: make(chan string, 100), statuses: statuses}
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		status := http.StatusOK
		if len(h.statuses) > 0 {
			status, h.statuses = h.statuses[0], h.statuses[1:]
		}
		if status == http.StatusOK {
			h.messages = append(h.messages, string(body))
		}
		h.mu.Unlock()
		w.WriteHeader(status)
		if status == http.StatusOK {
			h.got <- string(body)
		}
	}))
	t.Cleanup(s.Close)
	return h, s.URL
}

// waitFor waits for a message holding text, and returns it.
func (h *hook) waitFor(t *testing.T, text string) string {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case m := <-h.got:
			if strings.Contains(m, text) {
				return m
			}
		case <-timeout:
			t.Fatalf("no message with %q arrived", text)
		}
	}
}

func (h *hook) count(text string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, m := range h.messages {
		if strings.Contains(m, text) {
			n++
		}
	}
	return n
}

func kustomization(name string, labels, annotations map[string]string) *v1alpha1.Kustomization {
	return &v1alpha1.Kustomization{ObjectMeta: metav1.ObjectMeta{Namespace: "apps", Name: name, UID: "uid-1",
		Labels: labels, Annotations: annotations}}
}

func alert(name, provider string, sources ...v1alpha1.CrossNamespaceObjectReference) *v1alpha1.Alert {
	return &v1alpha1.Alert{ObjectMeta: metav1.ObjectMeta{Namespace: "apps", Name: name},
		Spec: v1alpha1.AlertSpec{ProviderRef: v1alpha1.LocalObjectReference{Name: provider}, EventSources: sources}}
}

var allKustomizations = v1alpha1.CrossNamespaceObjectReference{Kind: v1alpha1.KustomizationKind, Name: "*"}

type fixture struct {
	d         *Dispatcher
	events    *record.FakeRecorder
	client    *fake.Clientset
	providers cache.Indexer
}

// dispatchNow dispatches an event about obj at revision, as Run does,
// and returns once it is queued or its failure recorded.
func (f fixture) dispatchNow(obj *v1alpha1.Kustomization, revision string, metadata ...string) {
	m := events.Metadata(obj, events.Revision{Revision: revision})
	for i := 0; i+1 < len(metadata); i += 2 {
		m["gitops.io/"+metadata[i]] = metadata[i+1]
	}
	e, _ := newEvent(gitopsscheme.Scheme, obj, m, corev1.EventTypeNormal, "Progressing", "applied", "gitops-apiserver", "")
	f.d.dispatch(context.Background(), &e)
}

func (f fixture) queues() int {
	f.d.mu.Lock()
	defer f.d.mu.Unlock()
	return len(f.d.queues)
}

// secretGets is how many times the Secrets were read from the cluster.
func (f fixture) secretGets() int {
	n := 0
	for _, a := range f.client.Actions() {
		if a.GetVerb() == "get" && a.GetResource().Resource == "secrets" {
			n++
		}
	}
	return n
}

// start runs a Dispatcher over these Alerts and Providers.
func start(t *testing.T, cfg Config, objects ...any) fixture {
	t.Helper()
	alerts := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
	providers := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
	var secrets []any
	for _, obj := range objects {
		switch o := obj.(type) {
		case *v1alpha1.Alert:
			alerts.Add(o)
		case *v1alpha1.Provider:
			providers.Add(o)
		case *corev1.Secret:
			secrets = append(secrets, o)
		}
	}
	recorder := record.NewFakeRecorder(100)
	cfg.Scheme, cfg.Controller = gitopsscheme.Scheme, "gitops-apiserver"
	cfg.Alerts, cfg.Providers = listers.NewAlertLister(alerts), listers.NewProviderLister(providers)
	cfg.Events = recorder
	client := fake.NewSimpleClientset()
	for _, s := range secrets {
		client.Tracker().Add(s.(*corev1.Secret))
	}
	cfg.Secrets = secretref.Reader{Secrets: client.CoreV1()}
	d := New(cfg)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go d.Run(ctx)
	return fixture{d: d, events: recorder, client: client, providers: providers}
}

func generic(name, url string) *v1alpha1.Provider {
	return &v1alpha1.Provider{ObjectMeta: metav1.ObjectMeta{Namespace: "apps", Name: name},
		Spec: v1alpha1.ProviderSpec{Type: v1alpha1.ProviderGeneric, Address: url}}
}

// record records an event as a reconciler does, through the Recorder.
func recordEvent(d *Dispatcher, obj *v1alpha1.Kustomization, revision, eventtype, message string) {
	events.Record(Recorder{Dispatcher: d}, obj, events.Revision{Revision: revision}, eventtype, "Progressing", message)
}

func TestSameEventTwiceIsDeliveredOnceAndANewRevisionAgain(t *testing.T) {
	h, url := newHook(t)
	f := start(t, Config{}, generic("hook", url), alert("all", "hook", allKustomizations))
	obj := kustomization("web", nil, nil)
	recordEvent(f.d, obj, "main@sha1:aaa", corev1.EventTypeNormal, "applied")
	recordEvent(f.d, obj, "main@sha1:aaa", corev1.EventTypeNormal, "applied")
	recordEvent(f.d, obj, "main@sha1:bbb", corev1.EventTypeNormal, "applied")
	// One queue, in order: once bbb is in, aaa's duplicate was handled.
	h.waitFor(t, "main@sha1:bbb")
	if n := h.count("main@sha1:aaa"); n != 1 {
		t.Fatalf("revision aaa delivered %d times, want 1", n)
	}
}

func TestDuplicatesAreDeliveredAgainAfterTheRateLimit(t *testing.T) {
	h, url := newHook(t)
	f := start(t, Config{}, generic("hook", url), alert("all", "hook", allKustomizations))
	now := time.Now()
	f.d.dedup.mu.Lock()
	f.d.dedup.now = func() time.Time { return now }
	f.d.dedup.mu.Unlock()
	obj := kustomization("web", nil, nil)
	recordEvent(f.d, obj, "main@sha1:aaa", corev1.EventTypeNormal, "applied")
	h.waitFor(t, "main@sha1:aaa")
	f.d.dedup.mu.Lock()
	f.d.dedup.now = func() time.Time { return now.Add(DefaultRateLimit) }
	f.d.dedup.mu.Unlock()
	recordEvent(f.d, obj, "main@sha1:aaa", corev1.EventTypeNormal, "applied")
	h.waitFor(t, "main@sha1:aaa")
}

func TestAProviderSecretsAreReadAgainOnlyWhenItOrTheyChange(t *testing.T) {
	h, url := newHook(t)
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "apps", Name: "hook"},
		Data: map[string][]byte{"address": []byte(url)}}
	p := generic("hook", "")
	p.ResourceVersion, p.Spec.SecretRef = "1", &v1alpha1.LocalObjectReference{Name: "hook"}
	f := start(t, Config{}, secret, p, alert("all", "hook", allKustomizations))
	obj := kustomization("web", nil, nil)
	for _, revision := range []string{"main@sha1:aaa", "main@sha1:bbb", "main@sha1:ccc"} {
		recordEvent(f.d, obj, revision, corev1.EventTypeNormal, "applied")
		h.waitFor(t, revision)
	}
	if n := f.secretGets(); n != 1 {
		t.Fatalf("3 notifications read the Secret %d times, want 1", n)
	}
	f.d.RefreshProvider(cache.ObjectName{Namespace: "apps", Name: "hook"}) // the Secret changed
	recordEvent(f.d, obj, "main@sha1:ddd", corev1.EventTypeNormal, "applied")
	h.waitFor(t, "main@sha1:ddd")
	if n := f.secretGets(); n != 2 {
		t.Fatalf("after the Secret changed the Secret was read %d times in all, want 2", n)
	}
	changed := p.DeepCopy()
	changed.ResourceVersion = "2"
	if err := f.providers.Update(changed); err != nil {
		t.Fatal(err)
	}
	recordEvent(f.d, obj, "main@sha1:eee", corev1.EventTypeNormal, "applied")
	h.waitFor(t, "main@sha1:eee")
	if n := f.secretGets(); n != 3 {
		t.Fatalf("after the Provider changed the Secret was read %d times in all, want 3", n)
	}
}

func TestNoQueueIsKeptForAMissingOrDeletedProvider(t *testing.T) {
	h, url := newHook(t)
	p := generic("hook", url)
	f := start(t, Config{}, p, alert("all", "hook", allKustomizations), alert("lost", "gone", allKustomizations))
	obj := kustomization("web", nil, nil)
	f.dispatchNow(obj, "main@sha1:aaa")
	h.waitFor(t, "main@sha1:aaa")
	if n := f.queues(); n != 1 {
		t.Fatalf("%d queues, want only the existing Provider's", n)
	}
	lost := f.d.Deliveries(cache.ObjectName{Namespace: "apps", Name: "lost"}, "gone", nil)
	if len(lost) != 1 || lost[0].LastError != "no Provider 'apps/gone'" {
		t.Fatalf("deliveries of the Alert of a missing Provider: %+v", lost)
	}
	// The Provider is deleted: the informer drops it, then forgets it.
	if err := f.providers.Delete(p); err != nil {
		t.Fatal(err)
	}
	f.d.ForgetProvider(cache.ObjectName{Namespace: "apps", Name: "hook"})
	f.dispatchNow(obj, "main@sha1:bbb")
	if n := f.queues(); n != 0 {
		t.Fatalf("%d queues after the Provider was deleted, want 0", n)
	}
	all := f.d.Deliveries(cache.ObjectName{Namespace: "apps", Name: "all"}, "hook", nil)
	if len(all) != 1 || all[0].LastError != "no Provider 'apps/hook'" {
		t.Fatalf("deliveries after the Provider was deleted: %+v", all)
	}
}

func TestCommitStatusUpdatesGoOnlyToCommitStatusAndGenericProviders(t *testing.T) {
	webhook, webhookURL := newHook(t)
	chat, chatURL := newHook(t)
	slack := &v1alpha1.Provider{ObjectMeta: metav1.ObjectMeta{Namespace: "apps", Name: "chat"},
		Spec: v1alpha1.ProviderSpec{Type: v1alpha1.ProviderSlack, Address: chatURL}}
	f := start(t, Config{}, generic("hook", webhookURL), slack,
		alert("webhook", "hook", allKustomizations), alert("chat", "chat", allKustomizations))
	obj := kustomization("web", nil, nil)
	f.dispatchNow(obj, "main@sha1:aaa", eventv1.MetaCommitStatusKey, eventv1.MetaCommitStatusUpdateValue)
	f.dispatchNow(obj, "main@sha1:bbb")
	webhook.waitFor(t, "main@sha1:aaa")
	// One queue, in order: once bbb is in, aaa would have been.
	chat.waitFor(t, "main@sha1:bbb")
	if n := chat.count("main@sha1:aaa"); n != 0 {
		t.Fatalf("a commit status update reached Slack %d times", n)
	}
}

func TestRecordNeverBlocksAndDropsBeyondTheIntake(t *testing.T) {
	d := New(Config{Scheme: gitopsscheme.Scheme, IntakeSize: 8})
	obj := kustomization("web", nil, nil)
	done := make(chan struct{})
	go func() {
		for range 10000 { // nothing runs the dispatcher: the intake fills
			d.Record(obj, nil, corev1.EventTypeNormal, "Progressing", "applied")
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("Record blocked on a full intake")
	}
	if len(d.intake) != 8 {
		t.Fatalf("intake holds %d events, want its capacity 8", len(d.intake))
	}
}

func TestAFullProviderQueueDropsAndCountsOnTheAlertToldOnce(t *testing.T) {
	release := make(chan struct{})
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	t.Cleanup(s.Close)
	t.Cleanup(func() { close(release) })
	told := make(chan struct{}, 100)
	f := start(t, Config{QueueSize: 2, Delivered: func(cache.ObjectName) { told <- struct{}{} }},
		generic("slow", s.URL), alert("all", "slow", allKustomizations))
	obj := kustomization("web", nil, nil)
	for i := range 20 {
		f.dispatchNow(obj, "main@sha1:"+string(rune('a'+i)))
	}
	// At most one in flight and two queued: the rest are dropped, and the
	// Alert is told once, until it reads its deliveries.
	if n := len(told); n != 1 {
		t.Fatalf("the Alert was told %d times of its drops, want once", n)
	}
	name := cache.ObjectName{Namespace: "apps", Name: "all"}
	if d := f.d.Deliveries(name, "slow", nil); len(d) != 1 || d[0].Dropped < 17 {
		t.Fatalf("deliveries: %+v, want at least 17 dropped", d)
	}
	f.dispatchNow(obj, "main@sha1:z")
	if n := len(told); n != 2 {
		t.Fatalf("a drop after the Alert read its deliveries: told %d times in all, want 2", n)
	}
}

func TestFailedDeliveryIsAWarningOnTheAlertWithTheTokenMasked(t *testing.T) {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, "bad token "+r.Header.Get("Authorization"))
	}))
	t.Cleanup(s.Close)
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "apps", Name: "slack"},
		Data: map[string][]byte{"address": []byte(s.URL), "token": []byte("xoxb-sekret")}}
	provider := &v1alpha1.Provider{ObjectMeta: metav1.ObjectMeta{Namespace: "apps", Name: "slack"},
		Spec: v1alpha1.ProviderSpec{Type: v1alpha1.ProviderSlack, SecretRef: &v1alpha1.LocalObjectReference{Name: "slack"}}}
	f := start(t, Config{}, secret, provider, alert("all", "slack", allKustomizations))
	recordEvent(f.d, kustomization("web", nil, nil), "main@sha1:aaa", corev1.EventTypeWarning, "failed")
	select {
	case e := <-f.events.Events:
		if !strings.HasPrefix(e, "Warning NotificationDispatchFailed failed to send notification for Kustomization/apps/web") ||
			!strings.Contains(e, "400") {
			t.Errorf("event: %s", e)
		}
		if strings.Contains(e, "xoxb-sekret") {
			t.Errorf("event shows the token: %s", e)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no Warning event on the Alert")
	}
	deliveries := f.d.Deliveries(cache.ObjectName{Namespace: "apps", Name: "all"}, "slack", nil)
	if len(deliveries) != 1 || deliveries[0].LastError == "" || deliveries[0].LastErrorTime == nil ||
		strings.Contains(deliveries[0].LastError, "xoxb-sekret") {
		t.Errorf("deliveries: %+v", deliveries)
	}
}

func TestDeliveriesShowOnlyTheProviderTheAlertNames(t *testing.T) {
	d := New(Config{Scheme: gitopsscheme.Scheme})
	name := cache.ObjectName{Namespace: "apps", Name: "all"}
	now := time.Now()
	d.outcomes.failed(name, "old", now, "boom")
	d.outcomes.succeeded(name, "new", now)
	status := []v1alpha1.AlertDelivery{{Provider: "older", Dropped: 3}, {Provider: "new", LastError: "earlier"}}
	got := d.Deliveries(name, "new", status)
	if len(got) != 1 || got[0].Provider != "new" || got[0].LastDeliveryTime == nil || got[0].LastError != "earlier" {
		t.Fatalf("deliveries: %+v, want only Provider new's, merged", got)
	}
	if got := d.Deliveries(name, "old", nil); got != nil {
		t.Fatalf("deliveries through a Provider no longer named were kept: %+v", got)
	}
}

func TestMatching(t *testing.T) {
	web := &Event{Event: eventv1.Event{
		InvolvedObject: corev1.ObjectReference{Kind: "Kustomization", Namespace: "apps", Name: "web", APIVersion: "gitops.io/v1alpha1"},
		Severity:       eventv1.EventSeverityInfo, Message: "Deployment/apps/web configured"},
		Labels: map[string]string{"team": "web"}}
	failed := &Event{Event: *web.Event.DeepCopy(), Labels: web.Labels}
	failed.Severity, failed.Message = eventv1.EventSeverityError, "health check failed"
	other := &Event{Event: *web.Event.DeepCopy()}
	other.InvolvedObject.Namespace = "other"
	source := func(kind, name, namespace string, labels map[string]string) v1alpha1.CrossNamespaceObjectReference {
		return v1alpha1.CrossNamespaceObjectReference{Kind: kind, Name: name, Namespace: namespace, MatchLabels: labels}
	}
	all := source("Kustomization", "*", "", nil)
	for _, tc := range []struct {
		name    string
		source  v1alpha1.CrossNamespaceObjectReference
		spec    func(*v1alpha1.AlertSpec)
		event   *Event
		noCross bool
		want    bool
	}{
		{name: "by name", source: source("Kustomization", "web", "", nil), event: web, want: true},
		{name: "another name", source: source("Kustomization", "api", "", nil), event: web},
		{name: "another kind", source: source("HelmRelease", "*", "", nil), event: web},
		{name: "wildcard", source: all, event: web, want: true},
		{name: "labels match", source: source("Kustomization", "*", "", map[string]string{"team": "web"}), event: web, want: true},
		{name: "labels differ", source: source("Kustomization", "*", "", map[string]string{"team": "api"}), event: web},
		{name: "own namespace by default", source: all, event: other},
		{name: "other namespace named", source: source("Kustomization", "*", "other", nil), event: other, want: true},
		{name: "other namespace refused", source: source("Kustomization", "*", "other", nil), event: other, noCross: true},
		{name: "error severity drops info", source: all, event: web,
			spec: func(s *v1alpha1.AlertSpec) { s.EventSeverity = v1alpha1.EventSeverityError }},
		{name: "error severity takes errors", source: all, event: failed, want: true,
			spec: func(s *v1alpha1.AlertSpec) { s.EventSeverity = v1alpha1.EventSeverityError }},
		{name: "inclusion list", source: all, event: web,
			spec: func(s *v1alpha1.AlertSpec) { s.InclusionList = []string{"^health"} }},
		{name: "inclusion list matches", source: all, event: failed, want: true,
			spec: func(s *v1alpha1.AlertSpec) { s.InclusionList = []string{"^health"} }},
		{name: "exclusion list", source: all, event: web,
			spec: func(s *v1alpha1.AlertSpec) { s.ExclusionList = []string{"configured$"} }},
		{name: "suspended", source: all, event: web, spec: func(s *v1alpha1.AlertSpec) { s.Suspend = true }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := alert("a", "p", tc.source)
			if tc.spec != nil {
				tc.spec(&a.Spec)
			}
			m := matcher{noCrossNamespaceRefs: tc.noCross}
			if got := m.matches(a, tc.event); got != tc.want {
				t.Errorf("matches = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestMetadataIsMergedInFluxPrecedence(t *testing.T) {
	obj := kustomization("web", nil, map[string]string{
		"event.toolkit.fluxcd.io/env":     "from-annotation",
		"event.toolkit.fluxcd.io/cluster": "from-annotation",
		"event.toolkit.fluxcd.io/team":    "from-annotation",
		"event.toolkit.fluxcd.io/summary": "from-annotation",
	})
	e, ok := newEvent(gitopsscheme.Scheme, obj, events.Metadata(obj, events.Revision{Revision: "main@sha1:aaa"}),
		corev1.EventTypeNormal, "Progressing", "applied", "gitops-apiserver", "")
	if !ok {
		t.Fatal("no event")
	}
	a := alert("a", "p")
	a.Spec.EventMetadata = map[string]string{"env": "from-alert", "cluster": "from-alert", "revision": "from-alert"}
	a.Spec.Summary = "from-summary"
	// Tools that POST events set a token for deduplication only.
	e.Metadata["gitops.io/"+eventv1.MetaTokenKey] = "dedup-token"
	got := notification(&e, a).Metadata
	want := map[string]string{"env": "from-alert", "cluster": "from-alert", "team": "from-annotation",
		"summary": "from-summary", "revision": "main@sha1:aaa"}
	if len(got) != len(want) {
		t.Fatalf("metadata %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("metadata[%s] = %q, want %q", k, got[k], v)
		}
	}
	if e.InvolvedObject.Kind != "Kustomization" || e.InvolvedObject.APIVersion != "gitops.io/v1alpha1" {
		t.Errorf("involved object: %+v", e.InvolvedObject)
	}
}

package provider

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	eventv1 "github.com/fluxcd/pkg/apis/event/v1beta1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// received is one request a loopback server got.
type received struct {
	method, path string
	header       http.Header
	body         string
}

// recorder is a loopback server that records requests and answers with
// the statuses given, then 200.
type recorder struct {
	mu       sync.Mutex
	requests []received
	statuses []int
	answer   string
}

func serve(t *testing.T, statuses ...int) (*recorder, *httptest.Server) {
	r := &recorder{statuses: statuses}
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.requests = append(r.requests, received{req.Method, req.URL.Path, req.Header.Clone(), string(body)})
		status := http.StatusOK
		if len(r.statuses) > 0 {
			status, r.statuses = r.statuses[0], r.statuses[1:]
		}
		answer := r.answer
		r.mu.Unlock()
		w.WriteHeader(status)
		io.WriteString(w, answer)
	}))
	t.Cleanup(s.Close)
	return r, s
}

func (r *recorder) only(t *testing.T) received {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.requests) != 1 {
		t.Fatalf("got %d requests, want 1", len(r.requests))
	}
	return r.requests[0]
}

func testEvent() eventv1.Event {
	return eventv1.Event{
		InvolvedObject: corev1.ObjectReference{Kind: "Kustomization", Namespace: "apps", Name: "web",
			UID: "7d0cdc51", APIVersion: "gitops.io/v1alpha1"},
		Severity:            eventv1.EventSeverityInfo,
		Timestamp:           metav1.NewTime(time.Date(2026, 12, 7, 23, 0, 0, 0, time.UTC)),
		Message:             "ConfigMap/apps/web created\nrevision: main@sha1:abc",
		Reason:              "Progressing",
		Metadata:            map[string]string{"revision": "main@sha1:abc", "env": "prod"},
		ReportingController: "gitops-apiserver",
	}
}

const testEventJSON = `{"involvedObject":{"kind":"Kustomization","namespace":"apps","name":"web","uid":"7d0cdc51",` +
	`"apiVersion":"gitops.io/v1alpha1"},"severity":"info","timestamp":"2026-12-07T23:00:00Z",` +
	`"message":"ConfigMap/apps/web created\nrevision: main@sha1:abc","reason":"Progressing",` +
	`"metadata":{"env":"prod","revision":"main@sha1:abc"},"reportingController":"gitops-apiserver"}`

func postEvent(t *testing.T, typ v1alpha1.ProviderType, o Options) error {
	t.Helper()
	s, err := New(typ, o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return s.Post(ctx, testEvent())
}

func TestGenericPostsTheEventWithHeaders(t *testing.T) {
	r, s := serve(t)
	err := postEvent(t, v1alpha1.ProviderGeneric, Options{URL: s.URL + "/hook/a",
		Headers: map[string]string{"Authorization": "Bearer sekret", "X-Team": "web", "Content-Type": "application/json"}})
	if err != nil {
		t.Fatal(err)
	}
	got := r.only(t)
	if got.method != http.MethodPost || got.path != "/hook/a" {
		t.Errorf("got %s %s, want POST /hook/a", got.method, got.path)
	}
	if ct := got.header.Values("Content-Type"); len(ct) != 1 {
		t.Errorf("Content-Type %q, want the Secret's header to replace the default", ct)
	}
	for key, want := range map[string]string{"Content-Type": "application/json", "Gotk-Component": "gitops-apiserver",
		"Authorization": "Bearer sekret", "X-Team": "web"} {
		if got.header.Get(key) != want {
			t.Errorf("header %s is %q, want %q", key, got.header.Get(key), want)
		}
	}
	if got.header.Get("X-Signature") != "" {
		t.Errorf("generic signed the body: %q", got.header.Get("X-Signature"))
	}
	if got.body != testEventJSON {
		t.Errorf("body:\n%s\nwant:\n%s", got.body, testEventJSON)
	}
}

func TestGenericHMACSignsTheBodyWithTheToken(t *testing.T) {
	r, s := serve(t)
	if err := postEvent(t, v1alpha1.ProviderGenericHMAC, Options{URL: s.URL, Token: "hmac-key"}); err != nil {
		t.Fatal(err)
	}
	got := r.only(t)
	mac := hmac.New(sha256.New, []byte("hmac-key"))
	mac.Write([]byte(got.body))
	if want := "sha256=" + hex.EncodeToString(mac.Sum(nil)); got.header.Get("X-Signature") != want {
		t.Errorf("X-Signature is %q, want %q", got.header.Get("X-Signature"), want)
	}
	if got.body != testEventJSON {
		t.Errorf("body:\n%s\nwant:\n%s", got.body, testEventJSON)
	}
}

func TestGenericHMACNeedsAToken(t *testing.T) {
	if _, err := New(v1alpha1.ProviderGenericHMAC, Options{URL: "http://127.0.0.1/"}); err == nil {
		t.Fatal("generic-hmac without a token was accepted")
	}
}

func TestSlackPostsAnAttachmentWithTheBotToken(t *testing.T) {
	r, s := serve(t)
	err := postEvent(t, v1alpha1.ProviderSlack, Options{URL: s.URL + "/services/T0/B0/x", Token: "xoxb-1", Channel: "deploys"})
	if err != nil {
		t.Fatal(err)
	}
	got := r.only(t)
	if got.method != http.MethodPost || got.path != "/services/T0/B0/x" {
		t.Errorf("got %s %s", got.method, got.path)
	}
	if got.header.Get("Authorization") != "Bearer xoxb-1" || got.header.Get("Content-Type") != "application/json" {
		t.Errorf("headers: %v", got.header)
	}
	want := `{"channel":"deploys","username":"gitops-apiserver","icon_url":"","icon_emoji":"",` +
		`"attachments":[{"fallback":"kustomization/web.apps: ConfigMap/apps/web created","color":"good",` +
		`"author_name":"kustomization/web.apps","text":"ConfigMap/apps/web created\nrevision: main@sha1:abc",` +
		`"mrkdwn_in":["text"],"fields":[{"title":"env","value":"prod","short":false},` +
		`{"title":"revision","value":"main@sha1:abc","short":false}]}]}`
	if got.body != want {
		t.Errorf("body:\n%s\nwant:\n%s", got.body, want)
	}
}

func TestSlackWebhookWithoutTokenSendsNoAuthorization(t *testing.T) {
	r, s := serve(t)
	if err := postEvent(t, v1alpha1.ProviderSlack, Options{URL: s.URL, Username: "flux"}); err != nil {
		t.Fatal(err)
	}
	got := r.only(t)
	if got.header.Get("Authorization") != "" {
		t.Errorf("Authorization sent: %q", got.header.Get("Authorization"))
	}
	if !strings.HasPrefix(got.body, `{"channel":"","username":"flux",`) {
		t.Errorf("body: %s", got.body)
	}
}

func TestServerErrorIsRetriedAndDeliveredOnce(t *testing.T) {
	r, s := serve(t, http.StatusInternalServerError)
	if err := postEvent(t, v1alpha1.ProviderGeneric, Options{URL: s.URL}); err != nil {
		t.Fatal(err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.requests) != 2 {
		t.Fatalf("got %d requests, want 2 (500, then 200)", len(r.requests))
	}
	if r.requests[0].body != r.requests[1].body {
		t.Error("the retry sent another body")
	}
}

func TestClientErrorIsNotRetried(t *testing.T) {
	r, s := serve(t, http.StatusBadRequest)
	err := postEvent(t, v1alpha1.ProviderGeneric, Options{URL: s.URL})
	if err == nil || !strings.Contains(err.Error(), "400") {
		t.Fatalf("err = %v, want a 400", err)
	}
	r.only(t)
}

func TestUnsupportedTypeIsRefused(t *testing.T) {
	if Supported(v1alpha1.ProviderDiscord) {
		t.Fatal("discord is not implemented yet but reported supported")
	}
	if _, err := New(v1alpha1.ProviderDiscord, Options{URL: "http://127.0.0.1/"}); err == nil {
		t.Fatal("New made a discord sender")
	}
}

func TestASenderReusesItsConnection(t *testing.T) {
	var mu sync.Mutex
	conns := 0
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"ok": true}`) // a body the client must read for the connection to be reused
	}))
	s.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			mu.Lock()
			conns++
			mu.Unlock()
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	sender, err := New(v1alpha1.ProviderGeneric, Options{URL: s.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer Close(sender)
	for range 3 {
		if err := sender.Post(context.Background(), testEvent()); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if conns != 1 {
		t.Fatalf("3 notifications opened %d connections, want 1", conns)
	}
}

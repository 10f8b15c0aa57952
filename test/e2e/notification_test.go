package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Notifications: the reconcilers' events reach Alerts in process and are
// sent through Providers to services on loopback.
func TestNotifications(t *testing.T) {
	server, password := startReconcilersWithGitServer(t)
	for _, feature := range []struct {
		name string
		test func(t *testing.T, app *kustomizeApp)
	}{
		{"an applied revision arrives as a Slack message naming it, and the same event twice is sent once", testSlackMessageNamesRevision},
		{"a service that answers 500 then 200 gets the notification once", testServerErrorIsRetriedAndDeliveredOnce},
		{"a service that cannot be reached is a Warning on the Alert with the token masked", testUnreachableServiceIsAWarningWithTokenMasked},
		{"a Provider with a missing Secret is not Ready and names it", testProviderWithMissingSecretIsNotReady},
	} {
		t.Run(feature.name, func(t *testing.T) {
			t.Parallel()
			feature.test(t, newKustomizeApp(t, server, password))
		})
	}
}

// hookRequest is one request a loopback service got, and what it answered.
type hookRequest struct {
	path, authorization string
	body                string
	status              int
}

// hook is a loopback service that answers the statuses given, then 200.
type hook struct {
	url      string
	mu       sync.Mutex
	requests []hookRequest
	statuses []int
	arrived  chan struct{}
}

func startHook(t *testing.T, statuses ...int) *hook {
	h := &hook{statuses: statuses, arrived: make(chan struct{}, 1)}
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		status := http.StatusOK
		if len(h.statuses) > 0 {
			status, h.statuses = h.statuses[0], h.statuses[1:]
		}
		h.requests = append(h.requests, hookRequest{r.URL.Path, r.Header.Get("Authorization"), string(body), status})
		h.mu.Unlock()
		w.WriteHeader(status)
		select {
		case h.arrived <- struct{}{}:
		default:
		}
	}))
	t.Cleanup(s.Close)
	h.url = s.URL
	return h
}

// matching returns the requests whose body contains every one of texts.
func (h *hook) matching(texts ...string) []hookRequest {
	h.mu.Lock()
	defer h.mu.Unlock()
	var found []hookRequest
	for _, r := range h.requests {
		all := true
		for _, text := range texts {
			all = all && strings.Contains(r.body, text)
		}
		if all {
			found = append(found, r)
		}
	}
	return found
}

// waitFor waits for a request answered 200 whose body contains every one
// of texts, and returns it.
func (h *hook) waitFor(t *testing.T, texts ...string) hookRequest {
	t.Helper()
	timeout := time.After(2 * time.Minute)
	for {
		for _, r := range h.matching(texts...) {
			if r.status == http.StatusOK {
				return r
			}
		}
		select {
		case <-h.arrived:
		case <-timeout:
			h.mu.Lock()
			defer h.mu.Unlock()
			t.Fatalf("no notification with %q arrived; got %d requests: %+v", texts, len(h.requests), h.requests)
		}
	}
}

// slackMessage is the part of Slack's message format the tests read.
type slackMessage struct {
	Channel     string `json:"channel"`
	Username    string `json:"username"`
	Attachments []struct {
		Color      string `json:"color"`
		AuthorName string `json:"author_name"`
		Text       string `json:"text"`
		Fields     []struct {
			Title string `json:"title"`
			Value string `json:"value"`
		} `json:"fields"`
	} `json:"attachments"`
}

func (m slackMessage) field(title string) string {
	for _, a := range m.Attachments {
		for _, f := range a.Fields {
			if f.Title == title {
				return f.Value
			}
		}
	}
	return ""
}

func applyNotificationObjects(t *testing.T, ns, yaml string) {
	t.Helper()
	kubectlWithInput(t, yaml, "apply", "-n", ns, "-f", "-")
}

// providerAndAlert is a Provider and an Alert for all Kustomizations of the
// namespace, with the Provider's spec fields in providerSpec (indented by
// two spaces).
func providerAndAlert(name, providerSpec string) string {
	return fmt.Sprintf(`apiVersion: gitops.io/v1alpha1
kind: Provider
metadata:
  name: %[1]s
spec:
%[2]s
---
apiVersion: gitops.io/v1alpha1
kind: Alert
metadata:
  name: %[1]s
spec:
  providerRef:
    name: %[1]s
  eventSources:
  - kind: Kustomization
    name: '*'
  eventMetadata:
    cluster: e2e
`, name, providerSpec)
}

func testSlackMessageNamesRevision(t *testing.T, a *kustomizeApp) {
	slack := startHook(t)
	token := "xoxb-" + randomHex(t)
	kubectl(t, "create", "secret", "generic", "slack", "-n", a.ns,
		"--from-literal=address="+slack.url+"/services/T0/B0/e2e", "--from-literal=token="+token)
	applyNotificationObjects(t, a.ns, providerAndAlert("slack", "  type: slack\n  channel: deploys\n  secretRef:\n    name: slack"))
	kubectlWait(t, time.Minute, "--for=condition=Ready", "provider/slack", "alert/slack", "-n", a.ns)

	revision := a.push(t, map[string]string{
		"deploy/kustomization.yaml": "resources: [config.yaml]\n",
		"deploy/config.yaml":        configMap("app-config", a.ns, "v1"),
		"other/kustomization.yaml":  "resources: [config.yaml]\n",
		"other/config.yaml":         configMap("other-config", a.ns, "v1"),
	})
	a.applyKustomization(t, "app", "./deploy", "")
	a.waitForReady(t, "app", revision)

	got := slack.waitFor(t, "ConfigMap/"+a.ns+"/app-config created")
	if got.path != "/services/T0/B0/e2e" || got.authorization != "Bearer "+token {
		t.Errorf("posted to %s with Authorization %q", got.path, got.authorization)
	}
	var message slackMessage
	if err := json.Unmarshal([]byte(got.body), &message); err != nil || len(message.Attachments) != 1 {
		t.Fatalf("not a Slack message (%v): %s", err, got.body)
	}
	if message.Channel != "deploys" || message.Username != "gitops-apiserver" ||
		message.Attachments[0].AuthorName != "kustomization/app."+a.ns || message.Attachments[0].Color != "good" {
		t.Errorf("message: %s", got.body)
	}
	if !strings.Contains(message.Attachments[0].Text, revision) || message.field("revision") != revision {
		t.Errorf("the message does not name revision %s: %s", revision, got.body)
	}
	if message.field("cluster") != "e2e" {
		t.Errorf("the Alert's eventMetadata is missing: %s", got.body)
	}
	kubectlWait(t, time.Minute, "--for=jsonpath={.status.deliveries[0].provider}=slack", "alert/slack", "-n", a.ns)
	if at := kubectl(t, "get", "alert", "slack", "-n", a.ns, "-o", "jsonpath={.status.deliveries[0].lastDeliveryTime}"); at == "" {
		t.Error("the Alert's status has no lastDeliveryTime")
	}

	// The same failure twice (a reconcile requested again) is sent once.
	a.applyKustomization(t, "broken", "./missing", "")
	failure := `spec.path \"./missing\"`
	slack.waitFor(t, failure, "kustomization/broken."+a.ns)
	token2 := requestReconcile(t, a.ns, "broken")
	kubectlWait(t, time.Minute, "--for=jsonpath={.status.lastHandledReconcileAt}="+token2, "kustomization/broken", "-n", a.ns)
	waitForEventCount(t, a.ns, "Kustomization", "broken", "BuildFailed", 2)
	// A new event of it, sent after the duplicate went through the same
	// queue: once it arrives, the duplicate has been dealt with.
	a.applyKustomization(t, "broken", "./other", "")
	slack.waitFor(t, "ConfigMap/"+a.ns+"/other-config created")
	if n := len(slack.matching(failure)); n != 1 {
		t.Errorf("the same failure was sent %d times, want once", n)
	}
}

func testServerErrorIsRetriedAndDeliveredOnce(t *testing.T, a *kustomizeApp) {
	flaky := startHook(t, http.StatusInternalServerError)
	applyNotificationObjects(t, a.ns, providerAndAlert("flaky", "  type: generic\n  address: "+flaky.url+"/hook"))
	kubectlWait(t, time.Minute, "--for=condition=Ready", "provider/flaky", "alert/flaky", "-n", a.ns)

	revision := a.push(t, map[string]string{
		"deploy/kustomization.yaml": "resources: [config.yaml]\n",
		"deploy/config.yaml":        configMap("flaky-config", a.ns, "v1"),
	})
	a.applyKustomization(t, "app", "./deploy", "")
	a.waitForReady(t, "app", revision)
	created := "ConfigMap/" + a.ns + "/flaky-config created"
	flaky.waitFor(t, created)
	// The Alert's status shows the delivery once it is recorded, and
	// nothing is sent after a success.
	kubectlWait(t, time.Minute, "--for=jsonpath={.status.deliveries[0].provider}=flaky", "alert/flaky", "-n", a.ns)
	requests := flaky.matching(created)
	if len(requests) != 2 || requests[0].status != http.StatusInternalServerError || requests[1].status != http.StatusOK {
		t.Fatalf("requests: %+v, want one answered 500 and its retry answered 200", requests)
	}
	if requests[0].body != requests[1].body {
		t.Error("the retry sent another body")
	}
	var event struct {
		InvolvedObject struct{ Kind, Name, Namespace string } `json:"involvedObject"`
		Metadata       map[string]string                      `json:"metadata"`
		Severity       string                                 `json:"severity"`
	}
	if err := json.Unmarshal([]byte(requests[1].body), &event); err != nil {
		t.Fatal(err)
	}
	if event.InvolvedObject.Kind != "Kustomization" || event.InvolvedObject.Name != "app" ||
		event.Metadata["revision"] != revision || event.Metadata["cluster"] != "e2e" || event.Severity != "info" {
		t.Errorf("event: %s", requests[1].body)
	}
	if lastError := kubectl(t, "get", "alert", "flaky", "-n", a.ns, "-o", "jsonpath={.status.deliveries[0].lastError}"); lastError != "" {
		t.Errorf("a delivery that succeeded on retry left lastError %q", lastError)
	}
}

func testUnreachableServiceIsAWarningWithTokenMasked(t *testing.T, a *kustomizeApp) {
	// A port nothing listens on: the address holds the token, as a Slack
	// webhook's path does.
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := listener.Addr().String()
	listener.Close()
	token := "tok-" + randomHex(t)
	kubectl(t, "create", "secret", "generic", "gone", "-n", a.ns,
		"--from-literal=address=http://"+closed+"/services/"+token, "--from-literal=token="+token)
	applyNotificationObjects(t, a.ns, providerAndAlert("gone", "  type: slack\n  timeout: 1m\n  secretRef:\n    name: gone"))
	kubectlWait(t, time.Minute, "--for=condition=Ready", "provider/gone", "alert/gone", "-n", a.ns)

	revision := a.push(t, map[string]string{
		"deploy/kustomization.yaml": "resources: [config.yaml]\n",
		"deploy/config.yaml":        configMap("gone-config", a.ns, "v1"),
	})
	a.applyKustomization(t, "app", "./deploy", "")
	a.waitForReady(t, "app", revision)
	waitForEventOf(t, a.ns, "Alert", "gone", "NotificationDispatchFailed", "failed to send notification for Kustomization/"+a.ns+"/app")
	kubectlWait(t, time.Minute, "--for=jsonpath={.status.deliveries[0].provider}=gone", "alert/gone", "-n", a.ns)
	lastError := kubectl(t, "get", "alert", "gone", "-n", a.ns, "-o", "jsonpath={.status.deliveries[0].lastError}")
	events := kubectl(t, "get", "events", "-n", a.ns, "--field-selector", "involvedObject.kind=Alert", "-o", "yaml")
	if lastError == "" || !strings.Contains(lastError, "*****") {
		t.Errorf("lastError %q, want the failure with the token masked", lastError)
	}
	if strings.Contains(lastError, token) || strings.Contains(events, token) {
		t.Errorf("the token shows in the Alert's status or Events:\n%s\n%s", lastError, events)
	}
	assertLogHasNo(t, token)
}

func testProviderWithMissingSecretIsNotReady(t *testing.T, a *kustomizeApp) {
	hook := startHook(t)
	applyNotificationObjects(t, a.ns, providerAndAlert("later", "  type: generic-hmac\n  secretRef:\n    name: hmac-later"))
	err := eventually(time.Minute, func() error {
		reason, message := readyConditionOf(t, a.ns, "provider/later")
		if reason != "ValidationFailed" || !strings.Contains(message, "spec.secretRef") || !strings.Contains(message, a.ns+"/hmac-later") {
			return fmt.Errorf("Ready reason %q, message %q; want ValidationFailed naming Secret %s/hmac-later", reason, message, a.ns)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if reason, message := readyConditionOf(t, a.ns, "alert/later"); reason != "ProviderNotReady" {
		t.Errorf("the Alert of a Provider that is not Ready: %s %q", reason, message)
	}
	// The Secret, once created, wakes the Provider, and the Alert with it.
	kubectl(t, "create", "secret", "generic", "hmac-later", "-n", a.ns,
		"--from-literal=address="+hook.url, "--from-literal=token=hmac-"+randomHex(t))
	kubectlWait(t, time.Minute, "--for=condition=Ready", "provider/later", "alert/later", "-n", a.ns)
}

package e2e

import (
	"strings"
	"testing"
	"time"

	"gitops.io/apiserver/pkg/reconcile/source/helmrepository/helmrepotest"
	"gitops.io/apiserver/test/loopback"
)

// HelmRepository failures: each makes Ready=False with the cause, and
// heals once fixed. TestHelmRepositoryReconciler runs them.

func testHelmWrongPasswordUntilSecretIsFixed(t *testing.T, password string) {
	ns := newNamespace(t)
	server := helmrepotest.New(t, "e2e", password, false)
	server.Publish(t, "podinfo", "1.0.0", "")
	wrong := "wrong-" + randomHex(t)
	createBasicAuthSecret(t, ns, "helm-auth", "e2e", wrong)
	applyHelmRepository(t, ns, "auth", server.URL, "helm-auth", "", "1m")
	applyHelmChart(t, ns, "podinfo", "podinfo", "HelmRepository", "auth", "10m", "")

	kubectlWait(t, time.Minute, "--for=condition=Ready=False", "helmrepository/auth", "-n", ns)
	reason, message := readyConditionOf(t, ns, "helmrepository/auth")
	if reason != "AuthenticationFailed" || !strings.Contains(message, "401 Unauthorized") {
		t.Errorf("Ready reason %q message %q; want AuthenticationFailed naming the 401", reason, message)
	}
	if strings.Contains(message, wrong) {
		t.Errorf("the Ready message shows the password: %s", message)
	}
	kubectlWait(t, time.Minute, "--for=condition=Ready=False", "helmchart/podinfo", "-n", ns)
	if reason, message := readyConditionOf(t, ns, "helmchart/podinfo"); reason != "NoSourceArtifact" {
		t.Errorf("the chart's Ready reason %q message %q; want NoSourceArtifact", reason, message)
	}
	waitForEventOf(t, ns, "HelmRepository", "auth", "AuthenticationFailed", "401 Unauthorized")
	if events := kubectl(t, "get", "events", "-n", ns, "-o", "yaml"); strings.Contains(events, wrong) {
		t.Errorf("an Event shows the password")
	}

	createBasicAuthSecret(t, ns, "helm-auth", "e2e", password)
	// No request: the retries (backoff, at most the 1m interval) find the fix.
	kubectlWait(t, 2*time.Minute, "--for=condition=Ready", "helmrepository/auth", "-n", ns)
	// The chart waited for the index, and follows it without a request.
	kubectlWait(t, time.Minute, "--for=condition=Ready", "helmchart/podinfo", "-n", ns)
	assertLogHasNo(t, wrong)
}

func testHelmHTTPSNeedsCA(t *testing.T, password string) {
	ns := newNamespace(t)
	server := helmrepotest.New(t, "e2e", password, true)
	server.Publish(t, "podinfo", "1.0.0", "")
	createBasicAuthSecret(t, ns, "helm-auth", "e2e", password)
	// The CA of the API server's certificate, which did not sign server's.
	createCASecret(t, ns, "helm-ca", string(env.cert.CABundle))
	applyHelmRepository(t, ns, "tls", server.URL, "helm-auth", "helm-ca", "1m")

	kubectlWait(t, time.Minute, "--for=condition=Ready=False", "helmrepository/tls", "-n", ns)
	if _, message := readyConditionOf(t, ns, "helmrepository/tls"); !strings.Contains(message, "certificate") {
		t.Errorf("Ready message %q does not name the certificate", message)
	}
	createCASecret(t, ns, "helm-ca", server.CAPEM())
	kubectlWait(t, 2*time.Minute, "--for=condition=Ready", "helmrepository/tls", "-n", ns)
}

func testHelmUnreachableHost(t *testing.T, password string) {
	ns := newNamespace(t)
	addr := loopback.FreeAddr(t) // nothing listens there yet
	createBasicAuthSecret(t, ns, "helm-auth", "e2e", password)
	applyHelmRepository(t, ns, "unreachable", "http://"+addr, "helm-auth", "", "1m")
	applyHelmChart(t, ns, "podinfo", "podinfo", "HelmRepository", "unreachable", "10m", "")

	kubectlWait(t, time.Minute, "--for=condition=Ready=False", "helmrepository/unreachable", "-n", ns)
	reason, message := readyConditionOf(t, ns, "helmrepository/unreachable")
	if reason != "IndexationFailed" || !strings.Contains(message, "connection refused") {
		t.Errorf("Ready reason %q message %q; want IndexationFailed saying the connection was refused", reason, message)
	}
	kubectlWait(t, time.Minute, "--for=condition=Ready=False", "helmchart/podinfo", "-n", ns)

	server := helmrepotest.NewAt(t, addr, "e2e", password, false)
	published := server.Publish(t, "podinfo", "1.0.0", "")
	// No request: the retries (backoff, at most the 1m interval) reach it,
	// and the chart follows the index.
	kubectlWait(t, 2*time.Minute, "--for=condition=Ready", "helmrepository/unreachable", "-n", ns)
	kubectlWait(t, time.Minute, "--for=jsonpath={.status.artifact.revision}=1.0.0", "helmchart/podinfo", "-n", ns)
	if artifact := artifactStatusOf(t, ns, "helmchart/podinfo"); artifact.digest != digestOf(published) {
		t.Errorf("the chart's digest %s, want the published one's %s", artifact.digest, digestOf(published))
	}
}

func testOCIHelmRepositoryIsReady(t *testing.T, password string) {
	ns := newNamespace(t)
	kubectlWithInput(t, `apiVersion: gitops.io/v1alpha1
kind: HelmRepository
metadata:
  name: oci
spec:
  type: oci
  url: oci://127.0.0.1:5000/charts
`, "apply", "-n", ns, "-f", "-")
	kubectlWait(t, time.Minute, "--for=condition=Ready", "helmrepository/oci", "-n", ns)
	if a := kubectl(t, "get", "helmrepository", "oci", "-n", ns, "-o", "jsonpath={.status.artifact}"); a != "" {
		t.Errorf("an OCI HelmRepository has an artifact: %s", a)
	}
}

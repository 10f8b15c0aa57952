package e2e

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"gitops.io/apiserver/pkg/reconcile/source/helmrepository/helmrepotest"
)

// The HelmRepository reconciler against real Helm repositories (an
// index.yaml and charts packaged by Helm, behind basic auth) on loopback.
func TestHelmRepositoryReconciler(t *testing.T) {
	useReconcilers(t)
	password := "pw-" + randomHex(t)
	t.Cleanup(func() {
		assertLogHasNo(t, password)
		if t.Failed() || os.Getenv("E2E_SHOW_SERVER_LOG") != "" {
			t.Logf("end of %s:\n%s", env.server.LogPath, env.server.LogTail(40))
		}
	})
	for _, feature := range []struct {
		name string
		test func(t *testing.T, password string)
	}{
		{"the index becomes the artifact, its digest the revision", testIndexIsTheArtifact},
		{"wrong credentials are AuthenticationFailed until the Secret is fixed", testHelmWrongPasswordUntilSecretIsFixed},
		{"https needs the CA of certSecretRef", testHelmHTTPSNeedsCA},
		{"type oci is Ready without an artifact", testOCIHelmRepositoryIsReady},
	} {
		t.Run(feature.name, func(t *testing.T) {
			t.Parallel()
			feature.test(t, password)
		})
	}
}

func testIndexIsTheArtifact(t *testing.T, password string) {
	ns := newNamespace(t)
	server := helmrepotest.New(t, "e2e", password, false)
	server.Publish(t, "podinfo", "1.0.0", "")
	createBasicAuthSecret(t, ns, "helm-auth", "e2e", password)
	applyHelmRepository(t, ns, "charts", server.URL, "helm-auth", "", "10m")

	kubectlWait(t, time.Minute, "--for=condition=Ready", "helmrepository/charts", "-n", ns)
	artifact := artifactStatusOf(t, ns, "helmrepository/charts")
	index := artifactBytes(t, artifact, "")
	if digestOf(index) != artifact.digest || artifact.revision != artifact.digest {
		t.Errorf("revision %s, digest %s; the served index has digest %s", artifact.revision, artifact.digest, digestOf(index))
	}
	if !strings.Contains(string(index), "podinfo-1.0.0.tgz") {
		t.Errorf("the served index does not list podinfo 1.0.0:\n%s", index)
	}
	waitForEventOf(t, ns, "HelmRepository", "charts", "NewArtifact", artifact.revision)
	waitForMetric(t, fmt.Sprintf(`gotk_reconcile_duration_seconds_count{kind="HelmRepository",name="charts",namespace="%s"}`, ns))
}

func testHelmWrongPasswordUntilSecretIsFixed(t *testing.T, password string) {
	ns := newNamespace(t)
	server := helmrepotest.New(t, "e2e", password, false)
	server.Publish(t, "podinfo", "1.0.0", "")
	wrong := "wrong-" + randomHex(t)
	createBasicAuthSecret(t, ns, "helm-auth", "e2e", wrong)
	applyHelmRepository(t, ns, "auth", server.URL, "helm-auth", "", "1m")
	applyHelmChart(t, ns, "podinfo", "podinfo", "HelmRepository", "auth", "")

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

// applyHelmRepository applies a HelmRepository of url with the basic auth
// of Secret secret and, unless empty, the CA of Secret caSecret.
func applyHelmRepository(t testing.TB, ns, name, url, secret, caSecret, interval string) {
	t.Helper()
	manifest := fmt.Sprintf(`apiVersion: gitops.io/v1alpha1
kind: HelmRepository
metadata:
  name: %s
spec:
  url: %s
  interval: %s
  secretRef:
    name: %s
`, name, url, interval, secret)
	if caSecret != "" {
		manifest += "  certSecretRef:\n    name: " + caSecret + "\n"
	}
	kubectlWithInput(t, manifest, "apply", "-n", ns, "-f", "-")
}

// createCASecret creates or replaces a Secret whose ca.crt is caPEM.
func createCASecret(t testing.TB, ns, name, caPEM string) {
	t.Helper()
	manifest := kubectl(t, "create", "secret", "generic", name, "-n", ns, "--dry-run=client", "-o", "yaml",
		"--from-literal=ca.crt="+caPEM)
	kubectlWithInput(t, manifest, "apply", "-f", "-")
}

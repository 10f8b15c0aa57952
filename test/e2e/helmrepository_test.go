package e2e

import (
	"fmt"
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
	showServerLogOnFailure(t, password)
	for _, feature := range []struct {
		name string
		test func(t *testing.T, password string)
	}{
		{"the index becomes the artifact, its digest the revision, served to viewers only", testIndexIsTheArtifact},
		{"a new chart version is a new index revision on the interval", testHelmNewVersionOnInterval},
		{"wrong credentials are AuthenticationFailed until the Secret is fixed", testHelmWrongPasswordUntilSecretIsFixed},
		{"unreachable host is not Ready and says so, until the server is up", testHelmUnreachableHost},
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

	t.Run("artifact is served to a viewer and refused to a user without a role", func(t *testing.T) {
		bindRole(t, ns, "e2e-index-viewer", "gitops-view", "get")
		if got := digestOf(artifactBytes(t, artifact, "e2e-index-viewer")); got != artifact.digest {
			t.Errorf("the viewer got an index with digest %s, want %s", got, artifact.digest)
		}
		out, err := kubectlRaw(t, artifact.url, "e2e-nobody")
		if err == nil || !strings.Contains(err.Error(), "Forbidden") {
			t.Errorf("a user without a role fetched the index (%d bytes): %v", len(out), err)
		}
	})
}

func testHelmNewVersionOnInterval(t *testing.T, password string) {
	ns := newNamespace(t)
	server := helmrepotest.New(t, "e2e", password, false)
	server.Publish(t, "podinfo", "1.0.0", "")
	createBasicAuthSecret(t, ns, "helm-auth", "e2e", password)
	applyHelmRepository(t, ns, "interval", server.URL, "helm-auth", "", "3s")
	kubectlWait(t, time.Minute, "--for=condition=Ready", "helmrepository/interval", "-n", ns)
	first := artifactStatusOf(t, ns, "helmrepository/interval")

	server.Publish(t, "podinfo", "1.1.0", "")
	var newer artifactInfo
	err := eventually(30*time.Second, func() error {
		if newer = artifactStatusOf(t, ns, "helmrepository/interval"); newer.revision == first.revision {
			return fmt.Errorf("revision still %s after a new chart version", first.revision)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if index := artifactBytes(t, newer, ""); !strings.Contains(string(index), "podinfo-1.1.0.tgz") {
		t.Errorf("the new index does not list podinfo 1.1.0:\n%s", index)
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

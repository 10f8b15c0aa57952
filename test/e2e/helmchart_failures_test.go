package e2e

import (
	"strings"
	"testing"
	"time"

	"gitops.io/apiserver/pkg/reconcile/source/helmrepository/helmrepotest"
)

// HelmChart failures: Ready=False with the cause and a failure Event, and
// Ready once fixed. TestHelmChartReconciler runs them.

func testChartMissingVersionUntilPublished(t *testing.T, password string) {
	ns := newNamespace(t)
	server := helmrepotest.New(t, "e2e", password, false)
	server.Publish(t, "podinfo", "1.0.0", "")
	createBasicAuthSecret(t, ns, "helm-auth", "e2e", password)
	// The chart can only see a new version once its repository's interval
	// brings in the new index.
	applyHelmRepository(t, ns, "charts", server.URL, "helm-auth", "", "3s")
	applyHelmChart(t, ns, "podinfo", "podinfo", "HelmRepository", "charts", "1m", "  version: 2.x\n")

	kubectlWait(t, time.Minute, "--for=condition=Ready=False", "helmchart/podinfo", "-n", ns)
	reason, message := readyConditionOf(t, ns, "helmchart/podinfo")
	if reason != "ChartPullFailed" || !strings.Contains(message, "no 'podinfo' chart with version matching '2.x'") {
		t.Errorf("Ready reason %q message %q; want ChartPullFailed naming the version", reason, message)
	}
	waitForEventOf(t, ns, "HelmChart", "podinfo", "ChartPullFailed", "version matching '2.x'")

	published := server.Publish(t, "podinfo", "2.0.0", "")
	kubectlWait(t, 2*time.Minute, "--for=jsonpath={.status.artifact.revision}=2.0.0", "helmchart/podinfo", "-n", ns)
	kubectlWait(t, time.Minute, "--for=condition=Ready", "helmchart/podinfo", "-n", ns)
	if artifact := artifactStatusOf(t, ns, "helmchart/podinfo"); artifact.digest != digestOf(published) {
		t.Errorf("digest %s, want the digest %s of the published 2.0.0", artifact.digest, digestOf(published))
	}
}

package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"gitops.io/apiserver/pkg/reconcile/source/helmrepository/helmrepotest"
)

// The HelmChart reconciler: charts from a Helm repository and an OCI
// registry with basic auth on loopback, and from a chart directory of a
// GitRepository.
func TestHelmChartReconciler(t *testing.T) {
	useReconcilers(t)
	password := "pw-" + randomHex(t)
	showServerLogOnFailure(t, password)
	for _, feature := range []struct {
		name string
		test func(t *testing.T, password string)
	}{
		{"from a HelmRepository: Ready with version and digest, a new version on request, served to viewers only", testChartFromHelmRepository},
		{"from a GitRepository path, with values files merged", testChartFromGitRepository},
		{"from an OCI HelmRepository with basic auth, a new version on its own request", testChartFromOCIRepository},
		{"new version is picked up on the chart's interval", testChartNewVersionOnInterval},
		{"missing version is not Ready, with a failure Event, until it is published", testChartMissingVersionUntilPublished},
	} {
		t.Run(feature.name, func(t *testing.T) {
			t.Parallel()
			feature.test(t, password)
		})
	}
}

func testChartFromHelmRepository(t *testing.T, password string) {
	ns := newNamespace(t)
	server := helmrepotest.New(t, "e2e", password, false)
	published := server.Publish(t, "podinfo", "1.0.0", "replicas: 1\n")
	createBasicAuthSecret(t, ns, "helm-auth", "e2e", password)
	applyHelmRepository(t, ns, "charts", server.URL, "helm-auth", "", "10m")
	applyHelmChart(t, ns, "podinfo", "podinfo", "HelmRepository", "charts", "10m", "")

	kubectlWait(t, time.Minute, "--for=condition=Ready", "helmchart/podinfo", "-n", ns)
	artifact := artifactStatusOf(t, ns, "helmchart/podinfo")
	if artifact.revision != "1.0.0" || artifact.digest != digestOf(published) {
		t.Errorf("revision %s digest %s; want 1.0.0 with the published chart's digest %s", artifact.revision, artifact.digest, digestOf(published))
	}
	if got := digestOf(artifactBytes(t, artifact, "")); got != artifact.digest {
		t.Errorf("the served chart has digest %s, status.artifact.digest is %s", got, artifact.digest)
	}
	waitForEventOf(t, ns, "HelmChart", "podinfo", "ChartPullSucceeded", "pulled 'podinfo' chart with version '1.0.0'")
	waitForMetric(t, fmt.Sprintf(`gotk_reconcile_duration_seconds_count{kind="HelmChart",name="podinfo",namespace="%s"}`, ns))

	newer := server.Publish(t, "podinfo", "1.1.0", "replicas: 2\n")
	// Both intervals are 10m: only the request makes this happen in time,
	// and the chart follows its repository's new index.
	kubectl(t, "annotate", "helmrepository", "charts", "-n", ns, "--overwrite",
		"reconcile.fluxcd.io/requestedAt="+time.Now().Format(time.RFC3339Nano))
	kubectlWait(t, time.Minute, "--for=jsonpath={.status.artifact.revision}=1.1.0", "helmchart/podinfo", "-n", ns)
	artifact = artifactStatusOf(t, ns, "helmchart/podinfo")
	if artifact.digest != digestOf(newer) {
		t.Errorf("digest %s, want the digest %s of the published 1.1.0", artifact.digest, digestOf(newer))
	}

	bindRole(t, ns, "e2e-chart-viewer", "gitops-view", "get")
	if got := digestOf(artifactBytes(t, artifact, "e2e-chart-viewer")); got != artifact.digest {
		t.Errorf("the viewer got a chart with digest %s, want %s", got, artifact.digest)
	}
	out, err := kubectlRaw(t, artifact.url, "e2e-nobody")
	if err == nil || !strings.Contains(err.Error(), "Forbidden") {
		t.Errorf("a user without a role fetched the chart (%d bytes): %v", len(out), err)
	}
}

func testChartFromGitRepository(t *testing.T, password string) {
	ns := newNamespace(t)
	server := startGitServer(t, "e2e", password, "")
	repo := server.newRepo(t, "charts", map[string]string{
		"charts/app/Chart.yaml":               "apiVersion: v2\nname: app\nversion: 0.1.0\n",
		"charts/app/values.yaml":              "replicas: 1\nimage:\n  tag: v1\n",
		"charts/app/templates/configmap.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n",
		"env/prod.yaml":                       "image:\n  tag: v2\n",
	})
	sha := strings.TrimSpace(repo.git("rev-parse", "HEAD"))
	createBasicAuthSecret(t, ns, "git-auth", "e2e", password)
	applyGitRepository(t, ns, "charts", repo.url, "main", "git-auth", "10m")
	applyHelmChart(t, ns, "app", "./charts/app", "GitRepository", "charts", "10m",
		"  valuesFiles:\n    - charts/app/values.yaml\n    - env/prod.yaml\n")

	kubectlWait(t, time.Minute, "--for=condition=Ready", "helmchart/app", "-n", ns)
	artifact := artifactStatusOf(t, ns, "helmchart/app")
	if artifact.revision != "0.1.0" {
		t.Errorf("revision %s, want the chart version 0.1.0", artifact.revision)
	}
	if source := kubectl(t, "get", "helmchart", "app", "-n", ns, "-o", "jsonpath={.status.observedSourceArtifactRevision}"); source != "main@sha1:"+sha {
		t.Errorf("observedSourceArtifactRevision %s, want main@sha1:%s", source, sha)
	}
	data := artifactBytes(t, artifact, "")
	if digestOf(data) != artifact.digest {
		t.Errorf("the served chart has digest %s, status says %s", digestOf(data), artifact.digest)
	}
	values := tarFileContent(t, data, "app/values.yaml")
	if !strings.Contains(values, "replicas: 1") || !strings.Contains(values, "tag: v2") {
		t.Errorf("the packaged values.yaml is not values.yaml with env/prod.yaml over it:\n%s", values)
	}
	waitForEventOf(t, ns, "HelmChart", "app", "ChartPackageSucceeded", "packaged 'app' chart with version '0.1.0'")
}

// applyHelmChart applies a HelmChart of chart from the source kind/name,
// checked every interval; extra is more of its spec, indented.
func applyHelmChart(t testing.TB, ns, name, chart, kind, source, interval, extra string) {
	t.Helper()
	kubectlWithInput(t, fmt.Sprintf(`apiVersion: gitops.io/v1alpha1
kind: HelmChart
metadata:
  name: %s
spec:
  chart: %s
  interval: %s
  sourceRef:
    kind: %s
    name: %s
%s`, name, chart, interval, kind, source, extra), "apply", "-n", ns, "-f", "-")
}

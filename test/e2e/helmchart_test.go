package e2e

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	"helm.sh/helm/v3/pkg/chartutil"
	helmregistry "helm.sh/helm/v3/pkg/registry"

	"gitops.io/apiserver/pkg/reconcile/source/helmrepository/helmrepotest"
)

// The HelmChart reconciler: charts from a Helm repository and an OCI
// registry with basic auth on loopback, and from a chart directory of a
// GitRepository.
func TestHelmChartReconciler(t *testing.T) {
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
		{"from a HelmRepository: Ready with version and digest, a new version on request, served to viewers only", testChartFromHelmRepository},
		{"from a GitRepository path, with values files merged", testChartFromGitRepository},
		{"from an OCI HelmRepository with basic auth", testChartFromOCIRepository},
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
	applyHelmChart(t, ns, "podinfo", "podinfo", "HelmRepository", "charts", "")

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
	applyHelmChart(t, ns, "app", "./charts/app", "GitRepository", "charts",
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

// applyHelmChart applies a HelmChart of chart from the source kind/name;
// extra is more of its spec, indented.
func applyHelmChart(t testing.TB, ns, name, chart, kind, source, extra string) {
	t.Helper()
	kubectlWithInput(t, fmt.Sprintf(`apiVersion: gitops.io/v1alpha1
kind: HelmChart
metadata:
  name: %s
spec:
  chart: %s
  interval: 10m
  sourceRef:
    kind: %s
    name: %s
%s`, name, chart, kind, source, extra), "apply", "-n", ns, "-f", "-")
}

func testChartFromOCIRepository(t *testing.T, password string) {
	ns := newNamespace(t)
	host := startOCIRegistry(t, "e2e", password)
	pushed := pushChart(t, host, password, "podinfo", "1.2.0")
	pushChart(t, host, password, "podinfo", "2.0.0")
	createBasicAuthSecret(t, ns, "oci-auth", "e2e", password)
	kubectlWithInput(t, fmt.Sprintf(`apiVersion: gitops.io/v1alpha1
kind: HelmRepository
metadata:
  name: oci
spec:
  type: oci
  url: oci://%s/charts
  insecure: true
  secretRef:
    name: oci-auth
`, host), "apply", "-n", ns, "-f", "-")
	applyHelmChart(t, ns, "podinfo", "podinfo", "HelmRepository", "oci", "  version: 1.x\n")

	kubectlWait(t, time.Minute, "--for=condition=Ready", "helmchart/podinfo", "-n", ns)
	artifact := artifactStatusOf(t, ns, "helmchart/podinfo")
	if artifact.revision != "1.2.0" || artifact.digest != digestOf(pushed) {
		t.Errorf("revision %s digest %s; want 1.2.0 as pushed (%s)", artifact.revision, artifact.digest, digestOf(pushed))
	}
}

// startOCIRegistry serves an in-process OCI registry behind basic auth on
// loopback and returns its host:port.
func startOCIRegistry(t *testing.T, user, password string) string {
	t.Helper()
	registry := ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0)))
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != user || p != password {
			w.Header().Set("WWW-Authenticate", `Basic realm="registry"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		registry.ServeHTTP(w, r)
	}))
	t.Cleanup(server.Close)
	return strings.TrimPrefix(server.URL, "http://")
}

// pushChart packages a chart with Helm and pushes it to charts/<name>:<version>.
func pushChart(t *testing.T, host, password, name, version string) []byte {
	t.Helper()
	file, err := chartutil.Save(helmrepotest.NewChart(name, version, "replicas: 1\n"), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	client, err := helmregistry.NewClient(helmregistry.ClientOptPlainHTTP(), helmregistry.ClientOptBasicAuth("e2e", password),
		helmregistry.ClientOptCredentialsFile(filepath.Join(t.TempDir(), "config.json")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Push(data, host+"/charts/"+name+":"+version); err != nil {
		t.Fatal(err)
	}
	return data
}

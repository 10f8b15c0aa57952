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
	chart "helm.sh/helm/v4/pkg/chart/v2"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	helmregistry "helm.sh/helm/v4/pkg/registry"

	"gitops.io/apiserver/pkg/reconcile/source/helmrepository/helmrepotest"
)

// HelmCharts from OCI HelmRepositories, which have no artifact: only the
// chart's own interval and requests look at the registry again.
// TestHelmChartReconciler runs them.

func testChartFromOCIRepository(t *testing.T, password string) {
	ns := newNamespace(t)
	host := startOCIRegistry(t, "e2e", password)
	pushed := pushChart(t, host, password, "podinfo", "1.2.0")
	pushChart(t, host, password, "podinfo", "2.0.0")
	createBasicAuthSecret(t, ns, "oci-auth", "e2e", password)
	applyOCIHelmRepository(t, ns, "oci", host, "oci-auth")
	applyHelmChart(t, ns, "podinfo", "podinfo", "HelmRepository", "oci", "10m", "  version: 1.x\n")

	kubectlWait(t, time.Minute, "--for=condition=Ready", "helmchart/podinfo", "-n", ns)
	artifact := artifactStatusOf(t, ns, "helmchart/podinfo")
	if artifact.revision != "1.2.0" || artifact.digest != digestOf(pushed) {
		t.Errorf("revision %s digest %s; want 1.2.0 as pushed (%s)", artifact.revision, artifact.digest, digestOf(pushed))
	}

	newer := pushChart(t, host, password, "podinfo", "1.3.0")
	request := time.Now().Format(time.RFC3339Nano)
	kubectl(t, "annotate", "helmchart", "podinfo", "-n", ns, "--overwrite", "reconcile.fluxcd.io/requestedAt="+request)
	// The interval is 10m and an OCI HelmRepository has no artifact to
	// follow: only the chart's own request makes this happen in time.
	kubectlWait(t, 30*time.Second, "--for=jsonpath={.status.artifact.revision}=1.3.0", "helmchart/podinfo", "-n", ns)
	if handled := kubectl(t, "get", "helmchart", "podinfo", "-n", ns, "-o", "jsonpath={.status.lastHandledReconcileAt}"); handled != request {
		t.Errorf("lastHandledReconcileAt %q, want the request's %q", handled, request)
	}
	if artifact := artifactStatusOf(t, ns, "helmchart/podinfo"); artifact.digest != digestOf(newer) {
		t.Errorf("digest %s, want the digest %s of the pushed 1.3.0", artifact.digest, digestOf(newer))
	}
}

func testChartNewVersionOnInterval(t *testing.T, password string) {
	ns := newNamespace(t)
	host := startOCIRegistry(t, "e2e", password)
	pushChart(t, host, password, "podinfo", "1.0.0")
	createBasicAuthSecret(t, ns, "oci-auth", "e2e", password)
	applyOCIHelmRepository(t, ns, "oci", host, "oci-auth")
	applyHelmChart(t, ns, "podinfo", "podinfo", "HelmRepository", "oci", "3s", "  version: 1.x\n")
	kubectlWait(t, time.Minute, "--for=jsonpath={.status.artifact.revision}=1.0.0", "helmchart/podinfo", "-n", ns)
	// The OCI HelmRepository has no artifact: only the chart's interval
	// looks at the registry again.
	pushChart(t, host, password, "podinfo", "1.1.0")
	kubectlWait(t, 30*time.Second, "--for=jsonpath={.status.artifact.revision}=1.1.0", "helmchart/podinfo", "-n", ns)
}

// applyOCIHelmRepository applies a HelmRepository of type oci for the
// charts/ repositories of the plain HTTP registry at host.
func applyOCIHelmRepository(t testing.TB, ns, name, host, secret string) {
	t.Helper()
	kubectlWithInput(t, fmt.Sprintf(`apiVersion: gitops.io/v1alpha1
kind: HelmRepository
metadata:
  name: %s
spec:
  type: oci
  url: oci://%s/charts
  insecure: true
  secretRef:
    name: %s
`, name, host, secret), "apply", "-n", ns, "-f", "-")
}

// startOCIRegistry serves an in-process OCI registry behind basic auth on
// loopback and returns its host:port.
func startOCIRegistry(t testing.TB, user, password string) string {
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
	return pushHelmChart(t, host, password, helmrepotest.NewChart(name, version, "replicas: 1\n"))
}

// pushHelmChart packages c with Helm and pushes it to charts/<name>:<version>.
func pushHelmChart(t testing.TB, host, password string, c *chart.Chart) []byte {
	t.Helper()
	name, version := c.Metadata.Name, c.Metadata.Version
	file, err := chartutil.Save(c, t.TempDir())
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

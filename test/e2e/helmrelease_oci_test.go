package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"helm.sh/helm/v4/pkg/chart/common"
)

// A HelmRelease of a chart in an OCIRepository: the chart version carries
// the artifact's digest, so pushing the same tag again upgrades.
func testReleaseFromOCIRepositoryUpgradesOnRepush(t *testing.T, ns string) {
	password := "pw-" + randomHex(t)
	host := startOCIRegistry(t, "e2e", password)
	pushHelmChart(t, host, password, workloadChart("app", "1.0.0"))
	createDockerConfigSecret(t, ns, "oci-auth", host, "e2e", password)
	kubectlWithInput(t, fmt.Sprintf(`apiVersion: gitops.io/v1alpha1
kind: OCIRepository
metadata:
  name: app
spec:
  url: oci://%s/charts/app
  interval: 10m
  insecure: true
  secretRef:
    name: oci-auth
  ref:
    tag: 1.0.0
  layerSelector:
    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
    operation: copy
---
apiVersion: gitops.io/v1alpha1
kind: HelmRelease
metadata:
  name: web
spec:
  interval: 10m
  timeout: 2m
  chartRef:
    kind: OCIRepository
    name: app
`, host), "apply", "-n", ns, "-f", "-")
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmrelease/web", "-n", ns)
	withDigest := regexp.MustCompile(`^1\.0\.0\+[0-9a-f]{12}$`)
	first := kubectl(t, "get", "helmrelease", "web", "-n", ns, "-o", "jsonpath={.status.history[0].chartVersion}")
	if !withDigest.MatchString(first) {
		t.Fatalf("chart version %q, want 1.0.0+<first 12 hex digits of the digest>", first)
	}
	if got := kubectl(t, "get", "configmap", "web", "-n", ns, "-o", "jsonpath={.data.greeting}"); got != "hi" {
		t.Errorf("greeting %q, want the chart's default hi", got)
	}

	// The same tag, pushed again with another default greeting.
	repushed := workloadChart("app", "1.0.0")
	repushed.Raw = []*common.File{{Name: "values.yaml", Data: []byte("replicas: 1\ngreeting: again\nextra: none\npod: ready\n")}}
	pushHelmChart(t, host, password, repushed)
	kubectl(t, "annotate", "--overwrite", "ocirepository", "app", "-n", ns, "reconcile.fluxcd.io/requestedAt="+randomHex(t))
	kubectlWait(t, 3*time.Minute, "--for=jsonpath={.status.history[0].version}=2", "helmrelease/web", "-n", ns)
	second := strings.Fields(kubectl(t, "get", "helmrelease", "web", "-n", ns, "-o",
		"jsonpath={.status.history[0].chartVersion} {.status.lastAttemptedRevisionDigest}"))
	if len(second) != 2 || !withDigest.MatchString(second[0]) || second[0] == first ||
		!strings.HasPrefix(second[1], "sha256:"+strings.TrimPrefix(second[0], "1.0.0+")) {
		t.Errorf("after the push: chart version and digest %q, want 1.0.0+<the new digest's 12> and that digest (was %s)", second, first)
	}
	if got := kubectl(t, "get", "configmap", "web", "-n", ns, "-o", "jsonpath={.data.greeting}"); got != "again" {
		t.Errorf("greeting %q, want the re-pushed chart's again", got)
	}
}

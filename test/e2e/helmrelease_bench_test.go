package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// fluxHelmReleasesReady is what the flux-benchmark project publishes for
// Flux 2.9.0 (on a 16-core runner) to bring that many HelmReleases to
// Ready, and its controllers' memory, the figures to compare with.
var fluxHelmReleasesReady = map[int]string{100: "26 s / 286 MiB", 500: "2 m 14 s / 306 MiB", 1000: "4 m 39 s / 361 MiB"}

// BenchmarkHelmReleasesReady measures how long the reconcilers take to
// bring N new HelmReleases of one small chart from an OCI HelmRepository on
// loopback to Ready, and the server's peak memory meanwhile. As in
// flux-benchmark, each HelmRelease has its own HelmChart (spec.chart), its
// Deployment scaled to 0, drift detection enabled, and acts as a
// ServiceAccount (impersonated); all live in one namespace. Each size
// starts from a freshly started server, so the peak is that size's:
//
//	go test ./test/e2e -run '^$' -bench 'HelmReleasesReady/100$' -benchtime 1x -v
//
// The 500 and 1000 cases take minutes; run each alone, with room in
// -timeout. To compare two versions, run in turns with
// GITOPS_E2E_SERVER_BINARY set to each one's cmd/gitops-apiserver.
func BenchmarkHelmReleasesReady(b *testing.B) {
	useReconcilers(b)
	password := "pw-" + randomHex(b)
	host := startOCIRegistry(b, "e2e", password)
	pushHelmChart(b, host, password, workloadChart("bench", "1.0.0"))

	table := "| HelmReleases | until all Ready | server peak RSS | Flux 2.9.0 (16-core runner) |\n|---|---|---|---|"
	defer func() { b.Logf("\n%s", table) }()
	for _, n := range []int{100, 500, 1000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				ns := startWithOCIHelmRepository(b, host, password)
				b.StartTimer()

				start := time.Now()
				applyBenchHelmReleases(b, ns, n)
				waitAllReady(b, "helmreleases", ns, n, 2*time.Minute+time.Duration(n)*time.Second)
				took := time.Since(start)

				b.StopTimer()
				rss, err := peakRSS(env.server.Pid())
				if err != nil {
					b.Errorf("peak RSS of gitops-apiserver: %v", err)
				}
				if got := countWithPrefix(kubectl(b, "get", "deployments", "-n", ns, "-o", "name"), "deployment.apps/app-"); got != n {
					b.Errorf("%d Deployments of the releases in %s, want %d", got, ns, n)
				}
				b.ReportMetric(took.Seconds(), "s-until-all-ready")
				b.ReportMetric(float64(rss)/(1<<20), "MiB-peak-rss")
				table += fmt.Sprintf("\n| %d | %v | %.0f MiB | %s |", n, took.Round(100*time.Millisecond), float64(rss)/(1<<20), fluxHelmReleasesReady[n])
				deleteBenchHelmReleases(b, ns, n)
				b.StartTimer()
			}
		})
	}
}

// startWithOCIHelmRepository restarts the server, so that its peak memory
// is this run's, and returns a new namespace with the OCI HelmRepository
// charts of the registry at host and the ServiceAccount bench, which may
// edit the namespace.
func startWithOCIHelmRepository(b *testing.B, host, password string) string {
	b.Helper()
	ctx, cancel := context.WithTimeout(b.Context(), 2*time.Minute)
	defer cancel()
	if err := env.restartServer(ctx); err != nil {
		b.Fatalf("restarting gitops-apiserver: %v", err)
	}
	ns := newNamespace(b)
	createBasicAuthSecret(b, ns, "oci-auth", "e2e", password)
	applyOCIHelmRepository(b, ns, "charts", host, "oci-auth")
	kubectl(b, "create", "serviceaccount", "bench", "-n", ns)
	kubectl(b, "create", "rolebinding", "bench-edit", "-n", ns, "--clusterrole=edit", "--serviceaccount="+ns+":bench")
	kubectlWait(b, 2*time.Minute, "--for=condition=Ready", "helmrepository/charts", "-n", ns)
	return ns
}

// applyBenchHelmReleases applies HelmReleases app-000 to app-<n-1>,
// configured as flux-benchmark configures its own, a hundred per kubectl
// call so that each call stays within commandTimeout.
func applyBenchHelmReleases(b *testing.B, ns string, n int) {
	b.Helper()
	for first := 0; first < n; first += 100 {
		var manifests strings.Builder
		for i := first; i < min(first+100, n); i++ {
			fmt.Fprintf(&manifests, `---
apiVersion: gitops.io/v1alpha1
kind: HelmRelease
metadata:
  name: app-%03d
spec:
  interval: 60m
  serviceAccountName: bench
  chart:
    spec:
      chart: bench
      version: "*"
      interval: 60m
      sourceRef:
        kind: HelmRepository
        name: charts
  install:
    remediation:
      retries: 3
  driftDetection:
    mode: enabled
  values:
    replicas: 0
`, i)
		}
		kubectlWithInput(b, manifests.String(), "apply", "-n", ns, "-f", "-")
	}
}

func countWithPrefix(names, prefix string) int {
	count := 0
	for name := range strings.FieldsSeq(names) {
		if strings.HasPrefix(name, prefix) {
			count++
		}
	}
	return count
}

// deleteBenchHelmReleases deletes the HelmReleases (which uninstall their
// releases and delete their HelmCharts), so that the next run's server does
// not reconcile them too.
func deleteBenchHelmReleases(b *testing.B, ns string, n int) {
	b.Helper()
	// kubectl deletes them one by one, while the reconcilers uninstall the
	// releases deleted before: more than commandTimeout for hundreds.
	if out, err := tryKubectlWithin(b, commandTimeout+time.Duration(n)*time.Second/2, "", "delete", "helmreleases", "--all", "-n", ns, "--wait=false"); err != nil {
		b.Fatalf("deleting the HelmReleases: %v: %s", err, out)
	}
	err := eventually(2*time.Minute+time.Duration(n)*time.Second, func() error {
		if left := strings.Fields(kubectl(b, "get", "helmreleases", "-n", ns, "-o", "name")); len(left) > 0 {
			return fmt.Errorf("%d HelmReleases in %s not deleted yet", len(left), ns)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

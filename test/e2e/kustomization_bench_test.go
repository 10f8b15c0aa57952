package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// objectsPerKustomization is how many ConfigMaps each Kustomization of the
// benchmark applies.
const objectsPerKustomization = 10

// fluxKustomizationsReady is the time the flux-benchmark project publishes
// for kustomize-controller to bring that many Kustomizations to Ready (on a
// 16-core runner), the figure to compare with.
var fluxKustomizationsReady = map[int]string{100: "26 s", 500: "2 m 0 s"}

// BenchmarkKustomizationsReady measures how long the reconcilers take to
// bring N new Kustomizations of one GitRepository to Ready, each applying
// its own ConfigMaps, and the server's peak memory while doing so. As in
// flux-benchmark, every Kustomization builds the same directory with its
// index substituted into the names (postBuild), waits for its objects'
// health, and all of them live in one namespace. Each size starts from a
// freshly started server, so the peak is that size's:
//
//	go test ./test/e2e -run '^$' -bench 'KustomizationsReady/(10|100)$' -benchtime 1x -v
//
// The 500 case takes minutes; run it alone, with room in -timeout:
//
//	go test ./test/e2e -run '^$' -bench 'KustomizationsReady/500' -benchtime 1x -timeout 30m -v
//
// To compare two versions, build each one's cmd/gitops-apiserver and run
// the benchmark in turns with GITOPS_E2E_SERVER_BINARY set to each binary.
func BenchmarkKustomizationsReady(b *testing.B) {
	server, password := startReconcilersWithGitServer(b)
	files := map[string]string{}
	for i := range objectsPerKustomization {
		files[fmt.Sprintf("app/config-%02d.yaml", i)] = fmt.Sprintf(
			"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-${INDEX}-%02d\ndata:\n  value: \"%d\"\n", i, i)
	}
	repo := server.newRepo(b, "bench", files)

	table := "| Kustomizations | objects | until all Ready | server peak RSS | Flux (16-core runner) |\n|---|---|---|---|---|"
	defer func() { b.Logf("\n%s", table) }()
	// "as-tenant" Kustomizations are created by a namespace editor, so they
	// act as that user by impersonation; the others by the admin the server
	// runs as, which is not impersonated.
	for _, size := range []struct {
		n      int
		tenant bool
	}{{10, false}, {100, false}, {500, false}, {100, true}} {
		n, name, as := size.n, fmt.Sprint(size.n), ""
		if size.tenant {
			name += "-as-tenant"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				ns := startWithGitRepository(b, repo.url, password)
				if size.tenant {
					as = "bench-tenant-" + ns
					bindRole(b, ns, as, "edit", "create")
				}
				b.StartTimer()

				start := time.Now()
				applyBenchKustomizations(b, ns, n, as)
				kubectlWait(b, 2*time.Minute+time.Duration(n)*time.Second,
					"--for=condition=Ready", "kustomizations", "--all", "-n", ns)
				took := time.Since(start)

				b.StopTimer()
				rss, err := peakRSS(env.server.Pid())
				if err != nil {
					b.Errorf("peak RSS of gitops-apiserver: %v", err)
				}
				if got := countAppConfigMaps(b, ns); got != n*objectsPerKustomization {
					b.Errorf("%d ConfigMaps of the Kustomizations in %s, want %d", got, ns, n*objectsPerKustomization)
				}
				b.ReportMetric(took.Seconds(), "s-until-all-ready")
				b.ReportMetric(float64(rss)/(1<<20), "MiB-peak-rss")
				flux, ok := fluxKustomizationsReady[n]
				if !ok {
					flux = "—"
				}
				table += fmt.Sprintf("\n| %s | %d | %v | %.0f MiB | %s |",
					name, n*objectsPerKustomization, took.Round(100*time.Millisecond), float64(rss)/(1<<20), flux)
				deleteBenchObjects(b, ns, n)
				b.StartTimer()
			}
		})
	}
}

// startWithGitRepository restarts the server, so that its peak memory is
// this run's, and returns a new namespace with a Ready GitRepository app
// of url.
func startWithGitRepository(b *testing.B, url, password string) string {
	b.Helper()
	ctx, cancel := context.WithTimeout(b.Context(), 2*time.Minute)
	defer cancel()
	if err := env.restartServer(ctx); err != nil {
		b.Fatalf("restarting gitops-apiserver: %v", err)
	}
	ns := newNamespace(b)
	createBasicAuthSecret(b, ns, "git-auth", "e2e", password)
	applyGitRepository(b, ns, "app", url, "main", "git-auth", "60m")
	kubectlWait(b, 2*time.Minute, "--for=condition=Ready", "gitrepository/app", "-n", ns)
	return ns
}

// applyBenchKustomizations applies Kustomizations app-000 to app-<n-1>,
// configured as flux-benchmark configures its own, a hundred per kubectl
// call so that each call stays within commandTimeout; as user as, if set.
func applyBenchKustomizations(b *testing.B, ns string, n int, as string) {
	b.Helper()
	for first := 0; first < n; first += 100 {
		var manifests strings.Builder
		for i := first; i < min(first+100, n); i++ {
			manifests.WriteString("---\n")
			manifests.WriteString(kustomizationManifest(fmt.Sprintf("app-%03d", i), "./app", fmt.Sprintf(`  wait: true
  timeout: 1m
  targetNamespace: %s
  postBuild:
    substitute:
      INDEX: "%03d"
`, ns, i)))
		}
		args := []string{"apply", "-n", ns, "-f", "-"}
		if as != "" {
			args = append(args, "--as="+as)
		}
		kubectlWithInput(b, manifests.String(), args...)
	}
}

// countAppConfigMaps counts the ConfigMaps in ns that the Kustomizations
// applied.
func countAppConfigMaps(b *testing.B, ns string) int {
	b.Helper()
	return countWithPrefix(kubectl(b, "get", "configmaps", "-n", ns, "-o", "name"), "configmap/app-")
}

// deleteBenchObjects deletes the Kustomizations (which prune their
// ConfigMaps) and the GitRepository, so that the next run's server does not
// reconcile them too.
func deleteBenchObjects(b *testing.B, ns string, n int) {
	b.Helper()
	kubectl(b, "delete", "kustomizations", "--all", "-n", ns, "--wait=false")
	err := eventually(2*time.Minute+time.Duration(n)*time.Second, func() error {
		if left := strings.Fields(kubectl(b, "get", "kustomizations", "-n", ns, "-o", "name")); len(left) > 0 {
			return fmt.Errorf("%d Kustomizations in %s not deleted yet", len(left), ns)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	kubectl(b, "delete", "gitrepository", "app", "-n", ns)
}

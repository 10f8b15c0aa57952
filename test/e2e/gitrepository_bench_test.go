package e2e

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// gitRepositoriesInBenchmark is how many GitRepositories the benchmark
// creates at once, each with a repository of its own on one Git server.
const gitRepositoriesInBenchmark = 100

// BenchmarkGitRepositoriesReady measures how long the reconciler takes to
// bring many new GitRepositories to Ready, and the server's peak memory:
//
//	go test ./test/e2e -run '^$' -bench GitRepositoriesReady -benchtime 1x -v
func BenchmarkGitRepositoriesReady(b *testing.B) {
	useReconcilers(b)
	password := "pw-" + randomHex(b)
	server := startGitServer(b, "bench", password, "")
	files := map[string]string{}
	for i := range 20 {
		files[fmt.Sprintf("deploy/app-%02d.yaml", i)] = fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-%02d\n", i)
	}
	var urls []string
	for i := range gitRepositoriesInBenchmark {
		urls = append(urls, server.newRepo(b, fmt.Sprintf("bench-%03d", i), files).url)
	}

	for b.Loop() {
		ns := newNamespace(b)
		createBasicAuthSecret(b, ns, "git-auth", "bench", password)
		var manifests strings.Builder
		for i, url := range urls {
			manifests.WriteString("---\n")
			manifests.WriteString(gitRepositoryOnBranch(fmt.Sprintf("bench-%03d", i), url, "main", "git-auth", "10m"))
		}
		start := time.Now()
		kubectlWithInput(b, manifests.String(), "apply", "-n", ns, "-f", "-")
		kubectlWait(b, 5*time.Minute, "--for=condition=Ready", "gitrepositories", "--all", "-n", ns)
		took := time.Since(start)

		rss, err := peakRSS(env.server.Pid())
		if err != nil {
			b.Logf("peak RSS unavailable: %v", err)
		}
		b.ReportMetric(took.Seconds(), "s-until-all-ready")
		b.ReportMetric(float64(rss)/(1<<20), "MiB-peak-rss")
		b.Logf("\n| GitRepositories | until all Ready | server peak RSS |\n|---|---|---|\n| %d | %v | %.0f MiB |",
			len(urls), took.Round(time.Millisecond), float64(rss)/(1<<20))
	}
}

// peakRSS reads a process's high-water resident set size (Linux only).
func peakRSS(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		if rest, ok := strings.CutPrefix(scanner.Text(), "VmHWM:"); ok {
			kib, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kib << 10, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", pid)
}

package e2e

import (
	"bufio"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// waitAllReady waits until n objects of resource in namespace ns are
// Ready, watching them all with one kubectl get --watch, and fails after
// timeout. kubectl wait --all would watch each object in turn: a thousand
// watches through kube-apiserver and the aggregation proxy, loading the
// servers a benchmark measures.
func waitAllReady(b *testing.B, resource, ns string, n int, timeout time.Duration) {
	b.Helper()
	ctx, cancel := context.WithTimeout(b.Context(), timeout)
	defer cancel()
	ready, count := map[string]bool{}, 0
	// The watch may end (the server closes it after its request timeout):
	// a new one starts with a list, so nothing is missed.
	for ctx.Err() == nil {
		cmd := exec.CommandContext(ctx, env.kubectl, "--kubeconfig", env.cp.KubeconfigPath, "get", resource, "-n", ns,
			"--watch", "--no-headers", "-o", `custom-columns=NAME:.metadata.name,READY:.status.conditions[?(@.type=="Ready")].status`)
		out, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			b.Fatalf("kubectl get --watch: %v", err)
		}
		lines := bufio.NewScanner(out)
		for lines.Scan() {
			fields := strings.Fields(lines.Text())
			if len(fields) != 2 {
				continue
			}
			name, isReady := fields[0], fields[1] == "True"
			if isReady != ready[name] {
				ready[name] = isReady
				if isReady {
					count++
				} else {
					count--
				}
			}
			if count >= n {
				cancel()
				_ = cmd.Wait()
				return
			}
		}
		if err := cmd.Wait(); err != nil && ctx.Err() == nil {
			b.Logf("kubectl get --watch %s: %v; watching again", resource, err)
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
	}
	b.Fatalf("%d of %d %s in %s Ready after %v", count, n, resource, ns, timeout)
}

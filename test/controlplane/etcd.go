package controlplane

import (
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// StartEtcd starts an etcd with its data in a test temp dir and returns its
// client URL. It is stopped when the test ends.
func StartEtcd(tb testing.TB) (clientURL string) {
	tb.Helper()
	p, url, err := RunEtcd(Options{Dir: tb.TempDir()})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(p.Stop)
	return url
}

// RunEtcd starts etcd on free loopback ports with its data in opts.Dir/etcd and
// its log in opts.Dir/etcd.log, and waits until it is healthy.
func RunEtcd(opts Options) (*Process, string, error) {
	bin, err := binary("etcd")
	if err != nil {
		return nil, "", err
	}
	return startWithRetry(func() (*Process, string, error) {
		clientPort, err := FreePort()
		if err != nil {
			return nil, "", err
		}
		peerPort, err := FreePort()
		if err != nil {
			return nil, "", err
		}
		clientURL := fmt.Sprintf("http://127.0.0.1:%d", clientPort)
		peerURL := fmt.Sprintf("http://127.0.0.1:%d", peerPort)
		args := []string{
			"--name=default",
			"--data-dir=" + filepath.Join(opts.Dir, "etcd"),
			"--listen-client-urls=" + clientURL,
			"--advertise-client-urls=" + clientURL,
			"--listen-peer-urls=" + peerURL,
			"--initial-advertise-peer-urls=" + peerURL,
			"--initial-cluster=default=" + peerURL,
			"--log-level=warn",
		}
		if !opts.Durable {
			// Throwaway test data need not survive a power cut; fsync dominates
			// write latency on small CI disks.
			args = append(args, "--unsafe-no-fsync")
		}
		p, err := StartProcess("etcd", bin, args, filepath.Join(opts.Dir, "etcd.log"), opts.Detached)
		if err != nil {
			return nil, "", err
		}
		if err := p.waitReady(30*time.Second, func() error { return etcdHealthy(clientURL) }); err != nil {
			p.Stop()
			return nil, "", err
		}
		return p, clientURL, nil
	})
}

func etcdHealthy(clientURL string) error {
	client := http.Client{Timeout: time.Second}
	resp, err := client.Get(clientURL + "/health")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"health":"true"`) {
		return fmt.Errorf("etcd /health: %s %s", resp.Status, body)
	}
	return nil
}

// startWithRetry retries start a few times, each time with new free ports:
// between FreePort and the server's bind another process may take a port.
func startWithRetry(start func() (*Process, string, error)) (*Process, string, error) {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		var p *Process
		var url string
		if p, url, err = start(); err == nil {
			return p, url, nil
		}
	}
	return nil, "", err
}

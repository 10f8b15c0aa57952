package e2e

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// serverClient talks to gitops-apiserver directly, not through
// kube-apiserver, with the control plane's admin certificate.
func serverClient(t *testing.T) *http.Client {
	t.Helper()
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(env.cert.CABundle) {
		t.Fatal("no certificate in the serving CA bundle")
	}
	admin, err := tls.LoadX509KeyPair(filepath.Join(env.cp.Dir, "admin.crt"), filepath.Join(env.cp.Dir, "admin.key"))
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{
		Timeout:   commandTimeout,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, Certificates: []tls.Certificate{admin}}},
	}
}

func get(t *testing.T, client *http.Client, path string) string {
	t.Helper()
	resp, err := client.Get(fmt.Sprintf("https://localhost:%d%s", env.port, path))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", path, resp.Status, body)
	}
	return string(body)
}

func TestHealthChecksIncludeGitStoreAndMetricsAreServed(t *testing.T) {
	client := serverClient(t)
	for _, path := range []string{"/healthz?verbose", "/readyz?verbose"} {
		if body := get(t, client, path); !strings.Contains(body, "[+]gitstore ok") {
			t.Errorf("GET %s lacks the gitstore check:\n%s", path, body)
		}
	}
	// Served requests show up in the metrics; one is made now to be sure.
	kubectl(t, "get", "kustomizations", "--all-namespaces")
	deadline := time.Now().Add(10 * time.Second)
	for {
		body := get(t, client, "/metrics")
		if strings.Contains(body, `apiserver_request_total{`) && strings.Contains(body, `resource="kustomizations"`) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("/metrics has no apiserver_request_total for kustomizations")
		}
		time.Sleep(200 * time.Millisecond)
	}
}

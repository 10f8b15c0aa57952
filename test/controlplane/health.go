package controlplane

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"
)

// startServing starts component (kube-controller-manager, kube-scheduler)
// serving on a free loopback port with its certificate from
// writeCertificates, and waits until path (/healthz, /readyz) answers ok, so
// a flag it refuses fails Launch instead of a test later on.
func (cp *ControlPlane) startServing(opts Options, component, path string, args []string) (*Process, error) {
	bin, err := binary(component)
	if err != nil {
		return nil, err
	}
	client, err := cp.healthClient()
	if err != nil {
		return nil, err
	}
	p, _, err := startWithRetry(func() (*Process, string, error) {
		port, err := FreePort()
		if err != nil {
			return nil, "", err
		}
		serving := []string{
			"--bind-address=127.0.0.1",
			"--secure-port=" + strconv.Itoa(port),
			"--tls-cert-file=" + filepath.Join(cp.Dir, component+".crt"),
			"--tls-private-key-file=" + filepath.Join(cp.Dir, component+".key"),
		}
		p, err := StartProcess(component, bin, slices.Concat(args, serving), filepath.Join(cp.Dir, component+".log"), opts.Detached)
		if err != nil {
			return nil, "", err
		}
		url := fmt.Sprintf("https://127.0.0.1:%d%s", port, path)
		if err := p.waitReady(time.Minute, func() error { return healthy(client, url) }); err != nil {
			p.Stop()
			return nil, "", err
		}
		return p, url, nil
	})
	return p, err
}

// healthClient trusts the cluster CA that signed the components' serving
// certificates. The health paths need no credentials.
func (cp *ControlPlane) healthClient() (*http.Client, error) {
	caPEM, err := os.ReadFile(filepath.Join(cp.Dir, "ca.crt"))
	if err != nil {
		return nil, err
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(caPEM) {
		return nil, errors.New("no certificate in ca.crt")
	}
	return &http.Client{
		Timeout:   2 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}},
	}, nil
}

func healthy(client *http.Client, url string) error {
	resp, err := client.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s %s", url, resp.Status, body)
	}
	return nil
}

// Package controlplane runs a real Kubernetes control plane (etcd,
// kube-apiserver with the aggregation layer, and kube-controller-manager's
// ClusterRole aggregation) on loopback, for tests, benchmarks and
// hack/local-up.sh. The binaries are built from the Go module proxy by
// hack/build-control-plane.sh. There is no kubelet or scheduler: Pods stay
// Pending, but API objects behave as in a cluster.
package controlplane

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"k8s.io/client-go/rest"
)

// Options configure Start and Launch.
type Options struct {
	// Dir holds certificates, the kubeconfig, etcd data and logs. Start uses
	// a test temp dir when it is empty.
	Dir string
	// Detached processes outlive the caller (hack/local-up.sh); otherwise they
	// die with it.
	Detached bool
	// Durable makes etcd fsync its writes; tests skip that for speed.
	Durable bool
	// APIServerArgs are extra kube-apiserver flags, e.g. "--feature-gates=...".
	APIServerArgs []string
}

// ControlPlane is a running etcd and kube-apiserver.
type ControlPlane struct {
	Dir string
	// URL is the kube-apiserver address, https://127.0.0.1:<port>.
	URL     string
	EtcdURL string
	// KubeconfigPath is an admin (system:masters) kubeconfig for kubectl.
	KubeconfigPath string
	// Config is the same admin identity for client-go.
	Config *rest.Config
	// ClientCAFile signs the client certificates kube-apiserver accepts.
	ClientCAFile string
	// RequestHeaderCAFile (the front-proxy CA) signs the client certificate
	// kube-apiserver presents when it proxies to an aggregated API server.
	RequestHeaderCAFile string
	// Etcd, APIServer and ControllerManager are nil for a control plane
	// found by Attach.
	Etcd, APIServer, ControllerManager *Process
}

// Start launches a control plane for a test and stops it when the test ends.
func Start(tb testing.TB, opts Options) *ControlPlane {
	tb.Helper()
	if opts.Dir == "" {
		opts.Dir = tb.TempDir()
	}
	cp, err := Launch(opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if tb.Failed() {
			// The temp dir goes away with the test; keep what explains a failure.
			tb.Logf("end of kube-apiserver log:\n%s", cp.APIServer.LogTail(30))
		}
		cp.Stop()
	})
	return cp
}

// Launch starts etcd, kube-apiserver and kube-controller-manager, and waits
// until kube-apiserver is ready.
func Launch(opts Options) (*ControlPlane, error) {
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, err
	}
	if err := writeCertificates(opts.Dir); err != nil {
		return nil, fmt.Errorf("certificates: %w", err)
	}
	etcd, etcdURL, err := RunEtcd(opts)
	if err != nil {
		return nil, err
	}
	cp := inDir(opts.Dir)
	cp.Etcd, cp.EtcdURL = etcd, etcdURL
	if err := cp.startAPIServer(opts); err != nil {
		cp.Stop()
		return nil, err
	}
	if err := cp.startControllerManager(opts); err != nil {
		cp.Stop()
		return nil, err
	}
	return cp, nil
}

// Attach returns the control plane that Launch started with dir if it is
// still serving, so hack/local-up.sh can run again without a restart.
func Attach(dir string) (*ControlPlane, error) {
	cp := inDir(dir)
	if err := cp.loadKubeconfig(); err != nil {
		return nil, err
	}
	if err := cp.ready(context.Background()); err != nil {
		return nil, err
	}
	return cp, nil
}

// inDir names the files a control plane keeps in dir.
func inDir(dir string) *ControlPlane {
	return &ControlPlane{
		Dir:                 dir,
		KubeconfigPath:      filepath.Join(dir, "admin.kubeconfig"),
		ClientCAFile:        filepath.Join(dir, "ca.crt"),
		RequestHeaderCAFile: filepath.Join(dir, "front-proxy-ca.crt"),
	}
}

// Stop stops kube-controller-manager, kube-apiserver, then etcd.
func (cp *ControlPlane) Stop() {
	for _, p := range []*Process{cp.ControllerManager, cp.APIServer, cp.Etcd} {
		if p != nil {
			p.Stop()
		}
	}
}

// Package controlplane runs a real Kubernetes control plane on loopback, for
// tests, benchmarks and hack/local-up.sh: etcd, kube-apiserver with the
// aggregation layer, kube-controller-manager with its default controllers,
// kube-scheduler, and kwok playing the kubelet of one Node (NodeName). The
// binaries are built from the Go module proxy by hack/build-control-plane.sh.
// No container runs: kwok moves Pods through their status, so Deployments
// become Available and Jobs complete as in a cluster, and a Pod labelled
// kwok.gitops.io/pod=unready stays Running but not Ready, one labelled
// kwok.gitops.io/pod=failed fails.
package controlplane

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

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

// ControlPlane is a running control plane.
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
	// The processes are nil for a control plane found by Attach.
	Etcd, APIServer, ControllerManager, Scheduler, Kwok *Process
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
			for _, p := range cp.Processes() {
				tb.Logf("end of %s log:\n%s", p.Name, p.LogTail(20))
			}
		}
		cp.Stop()
	})
	return cp
}

// Launch starts etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler and kwok, registers kwok's Node, and waits until each serves
// and the Node is Ready.
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
	for _, start := range []func(Options) error{cp.startControllerManager, cp.startScheduler, cp.startKwok} {
		if err := start(opts); err != nil {
			cp.Stop()
			return nil, err
		}
	}
	if err := cp.startNode(); err != nil {
		cp.Stop()
		return nil, err
	}
	return cp, nil
}

// startNode registers kwok's Node and waits until it is Ready, or kwok exits.
func (cp *ControlPlane) startNode() error {
	ctx := context.Background()
	if err := cp.registerNode(ctx); err != nil {
		return fmt.Errorf("node %s: %w", NodeName, err)
	}
	return cp.Kwok.waitReady(time.Minute, func() error { return cp.nodeReady(ctx) })
}

// Attach returns the control plane that Launch started with dir if it is
// still serving and its Node is Ready, so hack/local-up.sh can run again
// without a restart.
func Attach(dir string) (*ControlPlane, error) {
	cp := inDir(dir)
	if err := cp.loadKubeconfig(); err != nil {
		return nil, err
	}
	if err := cp.ready(context.Background()); err != nil {
		return nil, err
	}
	// A control plane from before kwok, or whose kwok died, has no Ready
	// Node; a new one is better than Pods that stay Pending.
	if err := cp.nodeReady(context.Background()); err != nil {
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

// Processes returns the processes Launch started, in the order Stop stops
// them: the API's clients first, then kube-apiserver, then etcd.
func (cp *ControlPlane) Processes() []*Process {
	var running []*Process
	for _, p := range []*Process{cp.Kwok, cp.Scheduler, cp.ControllerManager, cp.APIServer, cp.Etcd} {
		if p != nil {
			running = append(running, p)
		}
	}
	return running
}

// Stop stops kwok, kube-scheduler, kube-controller-manager, kube-apiserver,
// then etcd.
func (cp *ControlPlane) Stop() {
	for _, p := range cp.Processes() {
		p.Stop()
	}
}

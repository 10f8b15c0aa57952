// Package reconcile starts the reconcilers that run inside gitops-apiserver:
// they watch gitops.io objects through the server's loopback client and,
// with several replicas, run in one of them only (a Lease in the cluster).
package reconcile

import (
	"context"
	"os"
	"time"

	"github.com/google/uuid"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	restclient "k8s.io/client-go/rest"
	"k8s.io/client-go/tools/leaderelection"
	"k8s.io/client-go/tools/leaderelection/resourcelock"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/reconcile/artifact"
)

// leaseName is the Lease the replicas of gitops-apiserver compete for.
const leaseName = "gitops-apiserver-reconcilers"

// Config says what the reconcilers talk to.
type Config struct {
	// Loopback reaches the gitops.io API of this server.
	Loopback *restclient.Config
	// Cluster reaches the cluster's core API, for Secrets and the Lease;
	// nil when the server has no cluster (then there is no leader election
	// and secretRefs cannot be read).
	Cluster *restclient.Config
	// Artifacts keeps the source artifacts.
	Artifacts *artifact.Storage
	// LeaderElection runs the reconcilers only while this replica holds the
	// Lease in LeaderElectionNamespace.
	LeaderElection          bool
	LeaderElectionNamespace string
	// AllowFileURLs lets sources read file:// URLs on the server's disk.
	AllowFileURLs bool
	// NoCrossNamespaceRefs keeps Kustomizations to sources and dependencies
	// in their own namespace.
	NoCrossNamespaceRefs bool
	// OverrideManagers are field managers whose changes to the objects of
	// Kustomizations and HelmReleases are taken back.
	OverrideManagers []string
}

// Run runs the reconcilers until ctx ends. It logs and retries rather than
// fail: the API keeps serving whatever happens to the reconcilers.
func Run(ctx context.Context, cfg Config) {
	logger := klog.FromContext(ctx).WithName("reconcile")
	ctx = klog.NewContext(ctx, logger)
	var core kubernetes.Interface
	if cfg.Cluster != nil {
		// Every reconciliation reads its Secret: client-go's default of 5
		// requests a second would be the reconcilers' pace.
		cluster := restclient.CopyConfig(cfg.Cluster)
		cluster.QPS, cluster.Burst = clientQPS, clientBurst
		var err error
		if core, err = kubernetes.NewForConfig(cluster); err != nil {
			logger.Error(err, "No cluster client; reconcilers cannot read Secrets")
		}
	}
	if !cfg.LeaderElection || core == nil {
		runReconcilers(ctx, cfg, core)
		return
	}
	identity, _ := os.Hostname()
	identity += "_" + uuid.NewString()
	runWhileLeading(ctx, core, cfg.LeaderElectionNamespace, identity, func(ctx context.Context) {
		runReconcilers(ctx, cfg, core)
	})
}

// Leases last leaseDuration; the leader renews it every retryPeriod and
// gives up when it could not for renewDeadline. A leader that stops
// releases the Lease, so another replica takes over within retryPeriod.
const (
	leaseDuration = 15 * time.Second
	renewDeadline = 10 * time.Second
	retryPeriod   = 2 * time.Second
)

// runWhileLeading runs run whenever identity holds the Lease in namespace,
// stopping it (by its context) when the Lease is lost, until ctx ends.
func runWhileLeading(ctx context.Context, core kubernetes.Interface, namespace, identity string, run func(context.Context)) {
	logger := klog.FromContext(ctx)
	lease := namespace + "/" + leaseName
	for ctx.Err() == nil {
		elector, err := leaderelection.NewLeaderElector(leaderelection.LeaderElectionConfig{
			Lock: &resourcelock.LeaseLock{
				LeaseMeta:  metav1.ObjectMeta{Namespace: namespace, Name: leaseName},
				Client:     core.CoordinationV1(),
				LockConfig: resourcelock.ResourceLockConfig{Identity: identity},
			},
			LeaseDuration:   leaseDuration,
			RenewDeadline:   renewDeadline,
			RetryPeriod:     retryPeriod,
			ReleaseOnCancel: true,
			Name:            leaseName,
			Callbacks: leaderelection.LeaderCallbacks{
				OnStartedLeading: func(ctx context.Context) {
					logger.Info("Leading; starting reconcilers", "lease", lease, "identity", identity)
					run(ctx)
				},
				OnStoppedLeading: func() { logger.Info("No longer leading; reconcilers stopped", "lease", lease) },
			},
		})
		if err != nil {
			logger.Error(err, "Leader election misconfigured; reconcilers do not run")
			return
		}
		elector.Run(ctx) // returns when leadership is lost; then stand again
	}
}

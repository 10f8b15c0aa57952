// Package reconcile starts the reconcilers that run inside gitops-apiserver:
// they watch gitops.io objects through the server's loopback client and,
// with several replicas, run in one of them only (a Lease in the cluster).
package reconcile

import (
	"context"
	"os"
	"time"

	"github.com/google/uuid"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"
	restclient "k8s.io/client-go/rest"
	"k8s.io/client-go/tools/leaderelection"
	"k8s.io/client-go/tools/leaderelection/resourcelock"
	"k8s.io/client-go/tools/record"
	"k8s.io/klog/v2"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	gitopsclient "gitops.io/apiserver/pkg/generated/clientset/versioned"
	gitopsscheme "gitops.io/apiserver/pkg/generated/clientset/versioned/scheme"
	gitopsinformers "gitops.io/apiserver/pkg/generated/informers/externalversions"
	"gitops.io/apiserver/pkg/reconcile/artifact"
	"gitops.io/apiserver/pkg/reconcile/controller"
	"gitops.io/apiserver/pkg/reconcile/kustomize"
	"gitops.io/apiserver/pkg/reconcile/metrics"
	"gitops.io/apiserver/pkg/reconcile/source/bucket"
	"gitops.io/apiserver/pkg/reconcile/source/gitrepository"
	"gitops.io/apiserver/pkg/reconcile/source/helmchart"
	"gitops.io/apiserver/pkg/reconcile/source/helmrepository"
	"gitops.io/apiserver/pkg/reconcile/source/ocirepository"
)

// leaseName is the Lease the replicas of gitops-apiserver compete for.
const leaseName = "gitops-apiserver-reconcilers"

// workers is how many objects of one kind are reconciled at a time.
// Kustomizations mostly wait on the cluster (applies, health polls), so
// more of them run at once.
const (
	workers              = 4
	kustomizationWorkers = 10
)

// The reconcilers' clients may make this many requests a second, in bursts
// of clientBurst.
const (
	clientQPS   = 50
	clientBurst = 100
)

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
	// NoCrossNamespaceRefs keeps Kustomizations to sources in their own
	// namespace.
	NoCrossNamespaceRefs bool
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

// runReconcilers runs every reconciler until ctx ends.
func runReconcilers(ctx context.Context, cfg Config, core kubernetes.Interface) {
	loopback := restclient.CopyConfig(cfg.Loopback)
	loopback.ContentType = "application/json"
	loopback.QPS, loopback.Burst = clientQPS, clientBurst
	client, err := gitopsclient.NewForConfig(loopback)
	if err != nil {
		klog.FromContext(ctx).Error(err, "No loopback client; reconcilers do not run")
		return
	}
	metrics.Register()
	// The appliers log through controller-runtime, which would otherwise
	// complain that it has no logger.
	ctrllog.SetLogger(klog.FromContext(ctx))
	factory := gitopsinformers.NewSharedInformerFactory(client, 0)
	defer factory.Shutdown()
	reconciler := &gitrepository.Reconciler{
		GitRepositories: client.GitopsV1alpha1(),
		Storage:         cfg.Artifacts,
		AllowFileURLs:   cfg.AllowFileURLs,
	}
	var recorder record.EventRecorder
	if core != nil {
		reconciler.Secrets = core.CoreV1()
		events := record.NewBroadcaster(record.WithContext(ctx))
		defer events.Shutdown()
		events.StartRecordingToSink(&corev1client.EventSinkImpl{Interface: core.CoreV1().Events("")})
		recorder = events.NewRecorder(gitopsscheme.Scheme, corev1.EventSource{Component: "gitops-apiserver"})
		reconciler.Events = recorder
	}
	gitRepositories, err := gitrepository.NewController(factory.Gitops().V1alpha1().GitRepositories(), reconciler)
	if err != nil {
		klog.FromContext(ctx).Error(err, "GitRepository reconciler does not run")
		return
	}
	helmRepositories, err := newHelmRepositoryController(factory, client, cfg, core, recorder)
	if err != nil {
		klog.FromContext(ctx).Error(err, "HelmRepository reconciler does not run")
		return
	}
	helmCharts, err := newHelmChartController(factory, client, cfg, core, recorder)
	if err != nil {
		klog.FromContext(ctx).Error(err, "HelmChart reconciler does not run")
		return
	}
	kustomizations, err := newKustomizationController(factory, client, cfg, core, recorder)
	if err != nil {
		klog.FromContext(ctx).Error(err, "Kustomization reconciler does not run")
		return
	}
	buckets, err := newBucketController(factory, client, cfg, core, recorder)
	if err != nil {
		klog.FromContext(ctx).Error(err, "Bucket reconciler does not run")
		return
	}
	ociRepositories, err := newOCIRepositoryController(factory, client, cfg, core, recorder)
	if err != nil {
		klog.FromContext(ctx).Error(err, "OCIRepository reconciler does not run")
		return
	}
	factory.Start(ctx.Done())
	go helmRepositories.Run(ctx, workers)
	go helmCharts.Run(ctx, workers)
	go kustomizations.Run(ctx, kustomizationWorkers)
	go buckets.Run(ctx, workers)
	go ociRepositories.Run(ctx, workers)
	gitRepositories.Run(ctx, workers)
}

func newOCIRepositoryController(factory gitopsinformers.SharedInformerFactory, client gitopsclient.Interface,
	cfg Config, core kubernetes.Interface, events record.EventRecorder) (*controller.Controller[*v1alpha1.OCIRepository], error) {
	r := &ocirepository.Reconciler{OCIRepositories: client.GitopsV1alpha1(), Storage: cfg.Artifacts, Events: events}
	if core != nil {
		r.Secrets, r.ServiceAccounts = core.CoreV1(), core.CoreV1()
	}
	return ocirepository.NewController(factory.Gitops().V1alpha1().OCIRepositories(), r)
}

func newHelmRepositoryController(factory gitopsinformers.SharedInformerFactory, client gitopsclient.Interface,
	cfg Config, core kubernetes.Interface, events record.EventRecorder) (*controller.Controller[*v1alpha1.HelmRepository], error) {
	r := &helmrepository.Reconciler{HelmRepositories: client.GitopsV1alpha1(), Storage: cfg.Artifacts, Events: events}
	if core != nil {
		r.Secrets = core.CoreV1()
	}
	return helmrepository.NewController(factory.Gitops().V1alpha1().HelmRepositories(), r)
}

func newHelmChartController(factory gitopsinformers.SharedInformerFactory, client gitopsclient.Interface,
	cfg Config, core kubernetes.Interface, events record.EventRecorder) (*controller.Controller[*v1alpha1.HelmChart], error) {
	r := &helmchart.Reconciler{HelmCharts: client.GitopsV1alpha1(), Storage: cfg.Artifacts, Events: events}
	if core != nil {
		r.Secrets = core.CoreV1()
	}
	return helmchart.NewController(factory.Gitops().V1alpha1(), r)
}

func newBucketController(factory gitopsinformers.SharedInformerFactory, client gitopsclient.Interface,
	cfg Config, core kubernetes.Interface, events record.EventRecorder) (*controller.Controller[*v1alpha1.Bucket], error) {
	r := &bucket.Reconciler{Buckets: client.GitopsV1alpha1(), Storage: cfg.Artifacts, Events: events}
	if core != nil {
		r.Secrets = core.CoreV1()
	}
	return bucket.NewController(factory.Gitops().V1alpha1().Buckets(), r)
}

func newKustomizationController(factory gitopsinformers.SharedInformerFactory, client gitopsclient.Interface,
	cfg Config, core kubernetes.Interface, events record.EventRecorder) (*controller.Controller[*v1alpha1.Kustomization], error) {
	r := &kustomize.Reconciler{
		Client:               client.GitopsV1alpha1(),
		API:                  client.GitopsV1alpha1().RESTClient(),
		Cluster:              cfg.Cluster,
		Events:               events,
		NoCrossNamespaceRefs: cfg.NoCrossNamespaceRefs,
	}
	if core != nil {
		r.Secrets, r.ConfigMaps = core.CoreV1(), core.CoreV1()
	}
	return kustomize.NewController(factory.Gitops().V1alpha1(), r)
}

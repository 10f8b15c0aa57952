package reconcile

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"
	"k8s.io/client-go/metadata"
	restclient "k8s.io/client-go/rest"
	"k8s.io/client-go/tools/record"
	"k8s.io/klog/v2"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	gitopsclient "gitops.io/apiserver/pkg/generated/clientset/versioned"
	gitopsscheme "gitops.io/apiserver/pkg/generated/clientset/versioned/scheme"
	gitopsinformers "gitops.io/apiserver/pkg/generated/informers/externalversions"
	informers "gitops.io/apiserver/pkg/generated/informers/externalversions/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/helmrelease"
	"gitops.io/apiserver/pkg/reconcile/identity"
	"gitops.io/apiserver/pkg/reconcile/kustomize"
	"gitops.io/apiserver/pkg/reconcile/metrics"
	"gitops.io/apiserver/pkg/reconcile/notification"
	"gitops.io/apiserver/pkg/reconcile/referrers"
	"gitops.io/apiserver/pkg/reconcile/secretref"
	"gitops.io/apiserver/pkg/reconcile/source/bucket"
	"gitops.io/apiserver/pkg/reconcile/source/gitrepository"
	"gitops.io/apiserver/pkg/reconcile/source/helmchart"
	"gitops.io/apiserver/pkg/reconcile/source/helmrepository"
	"gitops.io/apiserver/pkg/reconcile/source/ocirepository"
	"gitops.io/apiserver/pkg/reconcile/sourceref"
	"gitops.io/apiserver/pkg/reconcile/target"
)

// workers is how many objects of one kind are reconciled at a time.
// Kustomizations mostly wait on the cluster (applies, health polls), so
// more of them run at once.
const (
	workers              = 4
	kustomizationWorkers = 10
)

// The reconcilers' clients of this server may make this many requests a
// second, in bursts of clientBurst. Its priority and fairness guard it; at
// 50 a second, the status writes of hundreds of objects waited on the
// limiter rather than on the storage.
const (
	clientQPS   = 500
	clientBurst = 1000
)

// eventComponent is the source of the reconcilers' Events, and the
// reportingController of their notifications.
const eventComponent = "gitops-apiserver"

// runner is one kind's controller, ready to run.
type runner interface {
	Run(ctx context.Context, workers int)
	Enqueue(obj any)
}

// parts are what the reconcilers are built from.
type parts struct {
	cfg    Config
	client gitopsclient.Interface
	// factory makes the informers; informers are its gitops.io/v1alpha1 ones.
	factory   gitopsinformers.SharedInformerFactory
	informers informers.Interface
	// core reads Secrets, ConfigMaps and ServiceAccounts; nil without a
	// cluster, and then so are events.
	core   corev1client.CoreV1Interface
	events record.EventRecorder
	// references wakes objects whose Secrets or ConfigMaps change; nil
	// without a cluster.
	references *referrers.Watcher
	// identities says whom objects act as on the cluster.
	identities identity.Resolver
}

// runReconcilers runs every reconciler until ctx ends.
func runReconcilers(ctx context.Context, cfg Config, core kubernetes.Interface) {
	logger := klog.FromContext(ctx)
	loopback := restclient.CopyConfig(cfg.Loopback)
	loopback.ContentType = "application/json"
	loopback.QPS, loopback.Burst = clientQPS, clientBurst
	client, err := gitopsclient.NewForConfig(loopback)
	if err != nil {
		logger.Error(err, "No loopback client; reconcilers do not run")
		return
	}
	metrics.Register()
	// The appliers log through controller-runtime, which would otherwise
	// complain that it has no logger.
	ctrllog.SetLogger(logger)
	factory := gitopsinformers.NewSharedInformerFactory(client, 0)
	defer factory.Shutdown()
	p := parts{cfg: cfg, client: client, factory: factory, informers: factory.Gitops().V1alpha1()}
	if core != nil {
		p.core = core.CoreV1()
		events := record.NewBroadcaster(record.WithContext(ctx))
		defer events.Shutdown()
		events.StartRecordingToSink(&corev1client.EventSinkImpl{Interface: p.core.Events("")})
		p.events = events.NewRecorder(gitopsscheme.Scheme, corev1.EventSource{Component: eventComponent})
		if p.identities, err = actingIdentities(ctx, core); err != nil {
			return // ctx ended
		}
		if client, err := metadata.NewForConfig(cfg.Cluster); err == nil {
			p.references = referrers.New(client)
		} else {
			logger.Error(err, "No metadata client; a changed Secret does not wake its referrers")
		}
	}
	notify, err := p.notifications()
	if err != nil {
		logger.Error(err, "Reconcilers do not run")
		return
	}
	controllers, err := p.withEventsTo(notify).controllers(notify)
	if err != nil {
		logger.Error(err, "Reconcilers do not run")
		return
	}
	factory.Start(ctx.Done())
	if p.references != nil {
		// After the caches sync, so that the watches the objects there ask
		// for are not taken for late ones.
		factory.WaitForCacheSync(ctx.Done())
		p.references.Start(ctx)
	}
	if core != nil {
		p.adoptUnowned(ctx, loopback)
	}
	go notify.Dispatcher.Run(ctx)
	for kind, c := range controllers {
		n := workers
		if kind == v1alpha1.KustomizationKind || kind == v1alpha1.HelmReleaseKind {
			n = kustomizationWorkers
		}
		go c.Run(ctx, n)
	}
	<-ctx.Done()
}

// notifications builds the Provider and Alert controllers and the
// dispatcher of every reconciler's events.
func (p parts) notifications() (*notification.Controllers, error) {
	o := notification.Options{Client: p.client.GitopsV1alpha1(), Scheme: gitopsscheme.Scheme, Events: p.events,
		NoCrossNamespaceRefs: p.cfg.NoCrossNamespaceRefs, Controller: eventComponent}
	o.Instance, _ = os.Hostname()
	if p.core != nil {
		o.Secrets = secretref.Reader{Secrets: p.core}
	}
	return notification.New(p.informers, o)
}

// withEventsTo is p with its reconcilers' events also dispatched to the
// Alerts.
func (p parts) withEventsTo(notify *notification.Controllers) parts {
	p.events = notify.Recorder(p.events)
	return p
}

// controllers builds the controller of every kind, by kind.
func (p parts) controllers(notify *notification.Controllers) (map[string]runner, error) {
	v1 := p.client.GitopsV1alpha1()
	gitRepositories := &gitrepository.Reconciler{GitRepositories: v1, Storage: p.cfg.Artifacts, Events: p.events,
		AllowFileURLs: p.cfg.AllowFileURLs}
	ociRepositories := &ocirepository.Reconciler{OCIRepositories: v1, Storage: p.cfg.Artifacts, Events: p.events}
	helmRepositories := &helmrepository.Reconciler{HelmRepositories: v1, Storage: p.cfg.Artifacts, Events: p.events}
	helmCharts := &helmchart.Reconciler{HelmCharts: v1, API: v1.RESTClient(), Storage: p.cfg.Artifacts, Events: p.events}
	buckets := &bucket.Reconciler{Buckets: v1, Storage: p.cfg.Artifacts, Events: p.events}
	targets := &target.Clusters{Local: p.cfg.Cluster}
	kustomizations := &kustomize.Reconciler{Client: v1, API: v1.RESTClient(), Targets: targets, Identities: p.identities,
		Events: p.events, NoCrossNamespaceRefs: p.cfg.NoCrossNamespaceRefs, OverrideManagers: p.cfg.OverrideManagers}
	helmReleases := &helmrelease.Reconciler{Client: v1, API: v1.RESTClient(), Targets: targets, Identities: p.identities,
		Events: p.events, NoCrossNamespaceRefs: p.cfg.NoCrossNamespaceRefs, OverrideManagers: p.cfg.OverrideManagers}
	if p.core != nil {
		// Set only with a cluster: a nil CoreV1Interface would be a
		// non-nil getter.
		gitRepositories.Secrets = p.core
		ociRepositories.Secrets, ociRepositories.ServiceAccounts = p.core, p.core
		helmRepositories.Secrets = p.core
		helmCharts.Secrets = p.core
		buckets.Secrets = p.core
		targets.Secrets = p.core
	}

	c := map[string]runner{}
	var err error
	if c[v1alpha1.GitRepositoryKind], err = gitrepository.NewController(p.informers.GitRepositories(), gitRepositories); err != nil {
		return nil, err
	}
	if c[v1alpha1.OCIRepositoryKind], err = ocirepository.NewController(p.informers.OCIRepositories(), ociRepositories); err != nil {
		return nil, err
	}
	if c[v1alpha1.HelmRepositoryKind], err = helmrepository.NewController(p.informers.HelmRepositories(), helmRepositories); err != nil {
		return nil, err
	}
	if c[v1alpha1.HelmChartKind], err = helmchart.NewController(p.factory, helmCharts); err != nil {
		return nil, err
	}
	if c[v1alpha1.BucketKind], err = bucket.NewController(p.informers.Buckets(), buckets); err != nil {
		return nil, err
	}
	if c[v1alpha1.KustomizationKind], err = kustomize.NewController(p.factory, kustomizations); err != nil {
		return nil, err
	}
	if c[v1alpha1.HelmReleaseKind], err = helmrelease.NewController(p.factory, helmReleases); err != nil {
		return nil, err
	}
	c[v1alpha1.ProviderKind], c[v1alpha1.AlertKind] = notify.Providers, notify.Alerts
	return c, p.registerReferences(c, notify)
}

// registerReferences wakes the objects of each kind when a Secret or
// ConfigMap they name changes.
func (p parts) registerReferences(c map[string]runner, notify *notification.Controllers) error {
	w := p.references
	if w == nil {
		return nil
	}
	return errors.Join(
		referrers.Register(w, p.informers.GitRepositories().Informer(), gitrepository.References, c[v1alpha1.GitRepositoryKind].Enqueue),
		referrers.Register(w, p.informers.OCIRepositories().Informer(), ocirepository.References, c[v1alpha1.OCIRepositoryKind].Enqueue),
		referrers.Register(w, p.informers.HelmRepositories().Informer(), helmrepository.References, p.wakeHelmRepository(c)),
		referrers.Register(w, p.informers.Buckets().Informer(), bucket.References, c[v1alpha1.BucketKind].Enqueue),
		referrers.Register(w, p.informers.Kustomizations().Informer(), kustomize.References, c[v1alpha1.KustomizationKind].Enqueue),
		referrers.Register(w, p.informers.HelmReleases().Informer(), helmrelease.References, c[v1alpha1.HelmReleaseKind].Enqueue),
		referrers.Register(w, p.informers.Providers().Informer(), notification.References, notify.WakeProvider),
	)
}

// wakeHelmRepository wakes a HelmRepository whose Secret changed, and the
// HelmCharts made from it: they download charts with its Secrets, and an
// OCI HelmRepository has no artifact whose change would wake them.
func (p parts) wakeHelmRepository(c map[string]runner) func(obj any) {
	charts := p.informers.HelmCharts().Informer()
	return func(obj any) {
		c[v1alpha1.HelmRepositoryKind].Enqueue(obj)
		repo, ok := obj.(*v1alpha1.HelmRepository)
		if !ok {
			return
		}
		ref := sourceref.Ref{Kind: v1alpha1.HelmRepositoryKind, Namespace: repo.Namespace, Name: repo.Name}
		for _, chart := range sourceref.Referrers(charts, v1alpha1.HelmChartSourceRef, ref) {
			c[v1alpha1.HelmChartKind].Enqueue(chart)
		}
	}
}

// actingIdentities asks the cluster who the server is, the identity that
// objects stored before owners were recorded act as. It retries with
// backoff until the cluster answers or ctx ends: a cluster that is down at
// start must not keep the reconcilers from running once it is back.
func actingIdentities(ctx context.Context, core kubernetes.Interface) (identity.Resolver, error) {
	var server v1alpha1.Owner
	backoff := wait.Backoff{Duration: time.Second, Factor: 2, Cap: 30 * time.Second, Steps: math.MaxInt32}
	err := wait.ExponentialBackoffWithContext(ctx, backoff, func(ctx context.Context) (bool, error) {
		var err error
		if server, err = identity.Self(ctx, core.AuthenticationV1().SelfSubjectReviews()); err != nil {
			klog.FromContext(ctx).Error(err, "Asking the cluster who the server is; retrying")
			return false, nil
		}
		return true, nil
	})
	if err != nil {
		return identity.Resolver{}, fmt.Errorf("asking the cluster who the server is: %w", err)
	}
	return identity.Resolver{Server: server, Reviews: core.AuthorizationV1().SubjectAccessReviews()}, nil
}

// adoptUnowned records the server as owner of the objects stored before
// owners were, before the controllers start so no status write races it.
func (p parts) adoptUnowned(ctx context.Context, loopback *restclient.Config) {
	client, err := dynamic.NewForConfig(loopback)
	if err == nil {
		err = identity.Adopt(ctx, client, p.identities.Server, p.events)
	}
	if err != nil {
		// They act as the server until adopted at the next start.
		klog.FromContext(ctx).Error(err, "Recording owners of objects stored without one")
	}
}

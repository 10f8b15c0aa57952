package helmrelease

import (
	"context"
	"sync"
	"time"

	"github.com/fluxcd/cli-utils/pkg/object"
	"github.com/fluxcd/pkg/ssa"
	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/kube"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/health"
	"gitops.io/apiserver/pkg/reconcile/target"
)

// pollerStrategy is Flux's default wait strategy on Helm 4 (waitStrategy
// poller): kstatus polls the release's own objects, one GET each, with the
// HelmRelease's healthCheckExprs. Helm's own kstatus strategy watches
// every object of each kind in the release's namespaces instead: with a
// thousand releases in one namespace, each install listed and decoded a
// thousand Deployments, which made most of the server's memory and time.
const pollerStrategy kube.WaitStrategy = "poller"

// waitStrategy is how Helm waits for the release's objects: as
// spec.waitStrategy says (poller unless legacy), or for its hooks only when
// waiting is disabled, as Flux on Helm 4.
func waitStrategy(obj *v1alpha1.HelmRelease, disableWait bool) kube.WaitStrategy {
	switch {
	case disableWait:
		return kube.HookOnlyStrategy
	case obj.Spec.WaitStrategy != nil && obj.Spec.WaitStrategy.Name == v1alpha1.WaitStrategyLegacy:
		return kube.LegacyStrategy
	}
	return pollerStrategy
}

// pollingClient is Helm's kube client with pollerStrategy added; the
// other strategies are Helm's.
type pollingClient struct {
	*kube.Client
	// ctx bounds the waits with the run.
	ctx context.Context
	// manager polls the target cluster as the HelmRelease acts.
	manager *targetManager
}

func (c *pollingClient) GetWaiter(strategy kube.WaitStrategy) (kube.Waiter, error) {
	return c.GetWaiterWithOptions(strategy)
}

func (c *pollingClient) GetWaiterWithOptions(strategy kube.WaitStrategy, opts ...kube.WaitOption) (kube.Waiter, error) {
	if strategy != pollerStrategy {
		return c.Client.GetWaiterWithOptions(strategy, opts...)
	}
	// Hooks and deletions are few and need Helm's own readers (a hook Pod
	// is done once it succeeded): Helm's waiter does them.
	helmWaiter, err := c.Client.GetWaiterWithOptions(kube.StatusWatcherStrategy, opts...)
	if err != nil {
		return nil, err
	}
	return &poller{Waiter: helmWaiter, ctx: c.ctx, manager: c.manager}, nil
}

// pollWith gives helm pollerStrategy, polling with manager and bounded by
// ctx.
func pollWith(ctx context.Context, helm *action.Configuration, manager *targetManager) {
	client, ok := helm.KubeClient.(*kube.Client)
	if !ok {
		return
	}
	helm.KubeClient = &pollingClient{Client: client, ctx: ctx, manager: manager}
}

// targetManager is the resource manager of a run's target cluster, acting
// as the HelmRelease does and with Helm's field manager: built when first
// needed, then shared by drift detection, drift correction and the poller.
type targetManager struct {
	build func(ctx context.Context) (*ssa.ResourceManager, error)

	mu      sync.Mutex
	manager *ssa.ResourceManager
}

// managerFor is the run's targetManager of spec's cluster.
func (r *Reconciler) managerFor(spec target.Spec) *targetManager {
	return &targetManager{build: func(ctx context.Context) (*ssa.ResourceManager, error) {
		return r.Targets.Manager(ctx, spec, ssa.Owner{Field: helmFieldManager(), Group: ownerGroup})
	}}
}

// get builds the manager the first time it succeeds, and returns that one
// after. The poller may ask from a goroutine of Helm's.
func (m *targetManager) get(ctx context.Context) (*ssa.ResourceManager, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.manager == nil {
		manager, err := m.build(ctx)
		if err != nil {
			return nil, err
		}
		m.manager = manager
	}
	return m.manager, nil
}

// waitWithin ends the poller's waits with ctx, the context of the action
// about to run, rather than the run's timed context helm was made in: an
// action's own timeout may outlast spec.timeout.
func waitWithin(ctx context.Context, helm *action.Configuration) {
	if c, ok := helm.KubeClient.(*pollingClient); ok {
		c.ctx = ctx
	}
}

// poller waits for a release's objects by polling them.
type poller struct {
	kube.Waiter
	ctx     context.Context
	manager *targetManager
}

// Wait waits for every object but Jobs, which only WaitWithJobs waits
// for, as Helm does.
func (p *poller) Wait(resources kube.ResourceList, timeout time.Duration) error {
	return p.wait(resources, timeout, false)
}

func (p *poller) WaitWithJobs(resources kube.ResourceList, timeout time.Duration) error {
	return p.wait(resources, timeout, true)
}

func (p *poller) wait(resources kube.ResourceList, timeout time.Duration, jobs bool) error {
	var set object.ObjMetadataSet
	for _, info := range resources {
		id, err := object.RuntimeToObjMeta(info.Object)
		if err != nil {
			return err
		}
		if id.GroupKind.Group == "batch" && id.GroupKind.Kind == "Job" && !jobs {
			continue
		}
		set = append(set, id)
	}
	if len(set) == 0 {
		return nil
	}
	manager, err := p.manager.get(p.ctx)
	if err != nil {
		return err
	}
	return health.Wait(p.ctx, manager, set, timeout)
}

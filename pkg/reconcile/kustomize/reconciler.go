package kustomize

import (
	"context"
	"os"
	"time"

	"github.com/fluxcd/pkg/ssa"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/record"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	gitopsclient "gitops.io/apiserver/pkg/generated/clientset/versioned/typed/gitops/v1alpha1"
	listers "gitops.io/apiserver/pkg/generated/listers/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/controller"
	"gitops.io/apiserver/pkg/reconcile/dependency"
	"gitops.io/apiserver/pkg/reconcile/identity"
	"gitops.io/apiserver/pkg/reconcile/kustomize/build"
	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/pkg/reconcile/sourceref"
	"gitops.io/apiserver/pkg/reconcile/target"
)

// Reconciler applies Kustomizations.
type Reconciler struct {
	// Client writes status and finalizers, and fetches artifacts, through
	// the server's loopback client.
	Client gitopsclient.GitopsV1alpha1Interface
	// API is Client's REST client, which artifacts are fetched with.
	API rest.Interface
	// Kustomizations reads the Kustomizations the controller feeds it.
	Kustomizations listers.KustomizationLister
	// Dependencies decides on spec.dependsOn.
	Dependencies dependency.Checker
	// Sources reads the objects of spec.sourceRef and fetches their
	// artifacts; NewController sets it.
	Sources sourceref.Sources
	// Targets opens the cluster objects are applied to.
	Targets *target.Clusters
	// Identities says whom a Kustomization acts as, and what it may do.
	Identities identity.Resolver
	// Events records Kubernetes Events about the objects; nil records none.
	Events record.EventRecorder
	// NoCrossNamespaceRefs refuses sources and dependencies in another
	// namespace.
	NoCrossNamespaceRefs bool
	// OverrideManagers are field managers whose changes to the applied
	// objects are taken back (--override-manager).
	OverrideManagers []string
}

// run is what the steps of one reconciliation hand each other.
type run struct {
	start time.Time
	// as is whom the Kustomization acts as.
	as       identity.Identity
	target   target.Spec
	src      sourceref.Ref
	artifact *v1alpha1.Artifact
	objects  []*unstructured.Unstructured
	// digest identifies the built objects, for status.history.
	digest  string
	manager *ssa.ResourceManager
	applied *ssa.ChangeSet
	// changes is what the run changed in the cluster, for the Event.
	changes ssa.ChangeSet
}

// Kind is the Kustomization on the reconciler runtime. Fetch, build and
// apply may take spec.timeout together; prune and health checks bound
// their own waits.
func (r *Reconciler) Kind() *controller.Kind[*v1alpha1.Kustomization, run] {
	return &controller.Kind[*v1alpha1.Kustomization, run]{
		Name: kind,
		UpdateStatus: func(ctx context.Context, obj *v1alpha1.Kustomization) (*v1alpha1.Kustomization, error) {
			return r.Client.Kustomizations(obj.Namespace).UpdateStatus(ctx, obj, metav1.UpdateOptions{})
		},
		Schedule: func(obj *v1alpha1.Kustomization) controller.Schedule {
			return controller.Schedule{Suspend: obj.Spec.Suspend, Interval: intervalOf(obj),
				RetryInterval: retryIntervalOf(obj), Timeout: timeoutOf(obj)}
		},
		Steps: []controller.Step[*v1alpha1.Kustomization, run]{
			{Name: "dependencies", Run: r.waitForDependencies},
			{Name: "identity", Run: r.actAs},
			{Name: "source", Run: r.resolveSource},
			{Name: "build", Run: r.build},
			{Name: "cluster", Run: r.connect},
			{Name: "apply", Run: r.applyStep},
			{Name: "prune", Run: pruneStep, Untimed: true},
			{Name: "health", Run: healthStep, Untimed: true},
		},
		Summarize: summarize,
		Finish: func(obj, _ *v1alpha1.Kustomization, run *run, err error) {
			r.announce(obj, run.artifact, &run.changes, err)
			recordHistory(obj, run.digest, run.start, time.Since(run.start))
		},
		Finalizer: &controller.Finalizer[*v1alpha1.Kustomization]{Add: r.addFinalizer, Finalize: r.finalize},
	}
}

// Reconcile runs the Kustomization's steps on the runtime.
func (r *Reconciler) Reconcile(ctx context.Context, obj *v1alpha1.Kustomization) (time.Duration, error) {
	return r.Kind().Reconcile(ctx, obj)
}

// waitForDependencies starts the run's clock and holds it back until the
// dependencies are ready.
func (r *Reconciler) waitForDependencies(ctx context.Context, obj *v1alpha1.Kustomization, run *run) error {
	run.start = time.Now()
	return r.Dependencies.Check(ctx, kind, obj)
}

// build fetches the artifact and builds spec.path of it.
func (r *Reconciler) build(ctx context.Context, obj *v1alpha1.Kustomization, run *run) error {
	dir, err := r.fetch(ctx, run.src, run.artifact)
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	// substituteFrom and decryption keys are read as the Kustomization
	// acts: it may use only what its identity may read.
	reads, err := r.Targets.Reads(run.target)
	if err != nil {
		return err
	}
	input := build.Input{Root: dir, Kustomization: obj}
	if reads != nil {
		input.ConfigMaps, input.Secrets = reads, reads
	}
	run.objects, err = build.Build(ctx, input)
	if err != nil {
		return outcome.Failed(v1alpha1.BuildFailedReason, "%v", err)
	}
	if run.digest, err = manifestsDigest(run.objects); err != nil {
		return outcome.Failed(v1alpha1.BuildFailedReason, "%v", err)
	}
	return nil
}

// connect makes the applier for the target cluster, as the identity the
// Kustomization names.
func (r *Reconciler) connect(ctx context.Context, obj *v1alpha1.Kustomization, run *run) error {
	var err error
	run.manager, err = r.manager(ctx, run.target)
	return err
}

func (r *Reconciler) applyStep(ctx context.Context, obj *v1alpha1.Kustomization, run *run) error {
	var err error
	run.applied, err = apply(ctx, run.manager, obj, run.objects, r.OverrideManagers)
	run.changes.Append(run.applied.Entries)
	return err
}

// pruneStep records the new inventory and deletes what left it.
func pruneStep(ctx context.Context, obj *v1alpha1.Kustomization, run *run) error {
	old := obj.Status.Inventory
	obj.Status.Inventory = inventoryOf(run.applied)
	pruned, err := prune(ctx, run.manager, obj, old)
	run.changes.Append(pruned.Entries)
	return err
}

// healthStep waits for the applied objects, then records the revision as
// applied.
func healthStep(ctx context.Context, obj *v1alpha1.Kustomization, run *run) error {
	if err := checkHealth(ctx, run.manager, obj, run.applied); err != nil {
		return err
	}
	obj.Status.LastAppliedRevision = run.artifact.Revision
	return nil
}

func intervalOf(obj *v1alpha1.Kustomization) time.Duration {
	if obj.Spec.Interval.Duration > 0 {
		return obj.Spec.Interval.Duration
	}
	return time.Minute
}

// retryIntervalOf is how long a failed Kustomization waits at most before
// the next attempt: spec.retryInterval, else spec.interval.
func retryIntervalOf(obj *v1alpha1.Kustomization) time.Duration {
	if obj.Spec.RetryInterval != nil && obj.Spec.RetryInterval.Duration > 0 {
		return obj.Spec.RetryInterval.Duration
	}
	return intervalOf(obj)
}

// timeoutOf bounds fetch, build and apply, and the health check:
// spec.timeout, else spec.interval, as Flux.
func timeoutOf(obj *v1alpha1.Kustomization) time.Duration {
	if obj.Spec.Timeout != nil && obj.Spec.Timeout.Duration > 0 {
		return obj.Spec.Timeout.Duration
	}
	return intervalOf(obj)
}

package helmrelease

import (
	"context"
	"time"

	"helm.sh/helm/v4/pkg/action"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	release "helm.sh/helm/v4/pkg/release/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/record"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	gitopsclient "gitops.io/apiserver/pkg/generated/clientset/versioned/typed/gitops/v1alpha1"
	listers "gitops.io/apiserver/pkg/generated/listers/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/controller"
	"gitops.io/apiserver/pkg/reconcile/dependency"
	"gitops.io/apiserver/pkg/reconcile/identity"
	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/pkg/reconcile/secretref"
	"gitops.io/apiserver/pkg/reconcile/sourceref"
	"gitops.io/apiserver/pkg/reconcile/target"
)

// Reconciler installs and upgrades the Helm releases of HelmReleases.
type Reconciler struct {
	// Client writes status, finalizers and the HelmCharts of spec.chart
	// through the server's loopback client.
	Client gitopsclient.GitopsV1alpha1Interface
	// API is Client's REST client, which charts are fetched with.
	API rest.Interface
	// HelmReleases reads the HelmReleases the controller feeds it.
	HelmReleases listers.HelmReleaseLister
	// Dependencies decides on spec.dependsOn.
	Dependencies dependency.Checker
	// Sources reads HelmCharts and OCIRepositories and fetches their
	// artifacts; NewController sets it.
	Sources sourceref.Sources
	// Targets opens the cluster releases are installed in.
	Targets *target.Clusters
	// Identities says whom a HelmRelease acts as, and what it may do.
	Identities identity.Resolver
	// Events records Kubernetes Events about the objects; nil records none.
	Events record.EventRecorder
	// NoCrossNamespaceRefs refuses charts and dependencies in another
	// namespace.
	NoCrossNamespaceRefs bool
	// OverrideManagers are field managers whose changes to a release's
	// objects drift detection finds and correction takes back
	// (--override-manager).
	OverrideManagers []string

	discoveries discoveries
}

// run is what the steps of one reconciliation hand each other.
type run struct {
	start time.Time
	// as is whom the HelmRelease acts as; target where and how.
	as       identity.Identity
	target   target.Spec
	src      sourceref.Ref
	artifact *v1alpha1.Artifact
	chart    *chart.Chart
	// ociDigest is the digest of an OCI chart artifact, "" for others.
	ociDigest string
	values    map[string]any
	helm      *action.Configuration
	// manager applies to and polls the target cluster as the HelmRelease
	// acts (drift detection and correction, Helm's waits).
	manager *targetManager
	// current is the release's latest revision before the action; nil when
	// there is none.
	current *release.Release
	state   releaseState
	// drift is what drift detection found, nil when the state is not
	// drifted.
	drift *drift
	// force: a force request asks for an upgrade (or install) whatever the
	// state and retries; the first action taken uses it up.
	force bool
	// done are the kinds of action the run took.
	done []actionKind
	// failure is why the release is not ready after the run's last action,
	// nil when that succeeded.
	failure *outcome.Failure
}

// Kind is the HelmRelease on the reconciler runtime. Resolving the chart,
// the values and the release's state may take spec.timeout together; the
// Helm action bounds its own.
func (r *Reconciler) Kind() *controller.Kind[*v1alpha1.HelmRelease, run] {
	return &controller.Kind[*v1alpha1.HelmRelease, run]{
		Name:         kind,
		UpdateStatus: r.updateStatus,
		Schedule: func(obj *v1alpha1.HelmRelease) controller.Schedule {
			return controller.Schedule{Suspend: obj.Spec.Suspend, Interval: intervalOf(obj),
				RetryInterval: intervalOf(obj), Timeout: timeoutOf(obj)}
		},
		Steps: []controller.Step[*v1alpha1.HelmRelease, run]{
			{Name: "dependencies", Run: r.waitForDependencies},
			{Name: "identity", Run: r.actAs},
			{Name: "source", Run: r.resolveChart},
			{Name: "chart", Run: r.loadChart},
			{Name: "values", Run: r.composeValues},
			{Name: "moved", Run: r.uninstallMovedRelease},
			{Name: "cluster", Run: r.connect},
			{Name: "attempt", Run: recordAttempt},
			{Name: "release", Run: r.release, Untimed: true},
		},
		Summarize: summarize,
		Finish: func(obj, _ *v1alpha1.HelmRelease, run *run, err error) {
			r.announce(obj, run, err)
		},
		Finalizer: &controller.Finalizer[*v1alpha1.HelmRelease]{Add: r.addFinalizer, Finalize: r.finalize},
	}
}

// updateStatus writes obj's status. A write of the spec that raced it does
// not cost the run its status, which records what Helm did (failures
// counted against the retries): the status is the reconciler's alone, so it
// is written again onto the latest object, whose new generation starts the
// next run. Any other conflict is the run's: it may have started from a
// cached object older than the status a run before it wrote, which must not
// be written over; it is retried on the latest object.
func (r *Reconciler) updateStatus(ctx context.Context, obj *v1alpha1.HelmRelease) (*v1alpha1.HelmRelease, error) {
	client := r.Client.HelmReleases(obj.Namespace)
	updated, err := client.UpdateStatus(ctx, obj, metav1.UpdateOptions{})
	if !apierrors.IsConflict(err) {
		return updated, err
	}
	latest, getErr := client.Get(ctx, obj.Name, metav1.GetOptions{})
	if getErr != nil || latest.UID != obj.UID || latest.Generation == obj.Generation {
		return nil, err
	}
	latest.Status = obj.Status
	return client.UpdateStatus(ctx, latest, metav1.UpdateOptions{})
}

// Reconcile runs the HelmRelease's steps on the runtime.
func (r *Reconciler) Reconcile(ctx context.Context, obj *v1alpha1.HelmRelease) (time.Duration, error) {
	return r.Kind().Reconcile(ctx, obj)
}

// waitForDependencies starts the run's clock and holds it back until the
// dependencies are ready.
func (r *Reconciler) waitForDependencies(ctx context.Context, obj *v1alpha1.HelmRelease, run *run) error {
	run.start = time.Now()
	return r.Dependencies.Check(ctx, kind, obj)
}

// composeValues composes the release's values, read as the HelmRelease
// acts.
func (r *Reconciler) composeValues(ctx context.Context, obj *v1alpha1.HelmRelease, run *run) error {
	reads, err := r.Targets.Reads(run.target)
	if err != nil {
		return err
	}
	refs := secretref.Reader{}
	if reads != nil {
		refs.Secrets, refs.ConfigMaps = reads, reads
	}
	values, err := Values(ctx, refs, obj)
	if err != nil {
		return valuesFailed(err)
	}
	run.values = values
	return nil
}

func intervalOf(obj *v1alpha1.HelmRelease) time.Duration {
	if obj.Spec.Interval.Duration > 0 {
		return obj.Spec.Interval.Duration
	}
	return 10 * time.Minute
}

// timeoutOf is spec.timeout, else Helm's default of 5 minutes, as Flux.
func timeoutOf(obj *v1alpha1.HelmRelease) time.Duration {
	if obj.Spec.Timeout != nil && obj.Spec.Timeout.Duration > 0 {
		return obj.Spec.Timeout.Duration
	}
	return 5 * time.Minute
}

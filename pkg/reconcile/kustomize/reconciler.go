package kustomize

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/fluxcd/pkg/ssa"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/record"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	gitopsclient "gitops.io/apiserver/pkg/generated/clientset/versioned/typed/gitops/v1alpha1"
	listers "gitops.io/apiserver/pkg/generated/listers/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/conditions"
	"gitops.io/apiserver/pkg/reconcile/controller"
	"gitops.io/apiserver/pkg/reconcile/kustomize/build"
)

// Reconciler applies Kustomizations.
type Reconciler struct {
	// Client writes status and finalizers, and fetches artifacts, through
	// the server's loopback client.
	Client gitopsclient.GitopsV1alpha1Interface
	// API is Client's REST client, which artifacts are fetched with.
	API rest.Interface
	// Kustomizations reads other Kustomizations, for spec.dependsOn.
	Kustomizations listers.KustomizationLister
	// Sources reads the objects of spec.sourceRef.
	Sources Sources
	// Cluster is the cluster objects are applied to unless spec.kubeConfig
	// names another; nil when the server has none.
	Cluster *rest.Config
	// Secrets and ConfigMaps read postBuild.substituteFrom, decryption keys
	// and kubeconfigs; nil without a cluster.
	Secrets    corev1client.SecretsGetter
	ConfigMaps corev1client.ConfigMapsGetter
	// Events records Kubernetes Events about the objects; nil records none.
	Events record.EventRecorder
	// NoCrossNamespaceRefs refuses sources and dependencies in another
	// namespace.
	NoCrossNamespaceRefs bool

	mapper clusterMapper
}

// Reconcile brings the cluster in line with obj's source and returns when
// to look again. An error asks for a retry with backoff; its cause is
// already written to status.
func (r *Reconciler) Reconcile(ctx context.Context, obj *v1alpha1.Kustomization) (time.Duration, error) {
	if obj.DeletionTimestamp != nil {
		return 0, r.finalize(ctx, obj)
	}
	if obj.Spec.Suspend {
		return 0, nil // an update that resumes it triggers the next run
	}
	obj, err := r.addFinalizer(ctx, obj.DeepCopy())
	if err != nil {
		return 0, err
	}
	token, requested := controller.ReconcileRequest(obj, obj.Status.LastHandledReconcileAt)
	if why := conditions.NewWork(obj.Status.Conditions, obj.Generation, obj.Status.ObservedGeneration, requested); why != "" {
		markReconciling(obj, why)
		if obj, err = r.writeStatus(ctx, obj); err != nil {
			return 0, err
		}
	}

	start := time.Now()
	changes, digest, err := r.reconcileSteps(ctx, obj)
	r.announce(obj, changes, err)
	summarize(obj, err)
	recordHistory(obj, digest, start, time.Since(start))
	obj.Status.LastHandledReconcileAt = token
	if _, writeErr := r.writeStatus(ctx, obj); writeErr != nil {
		return 0, writeErr
	}
	switch {
	case err == nil:
		return intervalOf(obj), nil
	case isStalled(err):
		return 0, nil // only an edit helps; the update triggers the next run
	case isWaiting(err):
		return min(dependencyRequeue, retryIntervalOf(obj)), nil
	default:
		return 0, err
	}
}

// reconcileSteps are the steps, in order; the first failure ends them. It
// returns what changed in the cluster and the digest of the built objects.
func (r *Reconciler) reconcileSteps(ctx context.Context, obj *v1alpha1.Kustomization) (*ssa.ChangeSet, string, error) {
	changes := ssa.NewChangeSet()
	if err := r.checkDependencies(ctx, obj); err != nil {
		return changes, "", err
	}
	src, err := r.sourceOf(obj)
	if err != nil {
		return changes, "", err
	}
	artifact, err := r.artifactOf(src)
	if err != nil {
		return changes, "", err
	}
	obj.Status.LastAttemptedRevision = artifact.Revision

	buildCtx, cancel := context.WithTimeout(ctx, timeoutOf(obj))
	defer cancel()
	dir, err := r.fetch(buildCtx, src, artifact)
	if err != nil {
		return changes, "", err
	}
	defer os.RemoveAll(dir)
	objects, err := build.Build(buildCtx, build.Input{Root: dir, Kustomization: obj, ConfigMaps: r.ConfigMaps, Secrets: r.Secrets})
	if err != nil {
		return changes, "", failed(v1alpha1.BuildFailedReason, "%v", err)
	}
	digest, err := manifestsDigest(objects)
	if err != nil {
		return changes, "", failed(v1alpha1.BuildFailedReason, "%v", err)
	}

	manager, err := r.managerFor(buildCtx, obj)
	if err != nil {
		return changes, digest, err
	}
	applied, err := apply(buildCtx, manager, obj, objects)
	changes.Append(applied.Entries)
	if err != nil {
		return changes, digest, err
	}
	old := obj.Status.Inventory
	obj.Status.Inventory = inventoryOf(applied)
	pruned, err := prune(ctx, manager, obj, old)
	changes.Append(pruned.Entries)
	if err != nil {
		return changes, digest, err
	}
	if err := checkHealth(ctx, manager, obj, applied); err != nil {
		return changes, digest, err
	}
	obj.Status.LastAppliedRevision = artifact.Revision
	return changes, digest, nil
}

func (r *Reconciler) writeStatus(ctx context.Context, obj *v1alpha1.Kustomization) (*v1alpha1.Kustomization, error) {
	updated, err := r.Client.Kustomizations(obj.Namespace).UpdateStatus(ctx, obj, metav1.UpdateOptions{})
	if err != nil {
		return obj, fmt.Errorf("writing status: %w", err)
	}
	return updated, nil
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

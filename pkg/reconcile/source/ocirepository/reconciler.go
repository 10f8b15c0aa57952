package ocirepository

import (
	"context"
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"
	"k8s.io/client-go/tools/record"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	gitopsclient "gitops.io/apiserver/pkg/generated/clientset/versioned/typed/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/artifact"
	"gitops.io/apiserver/pkg/reconcile/conditions"
	"gitops.io/apiserver/pkg/reconcile/controller"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// defaultInterval applies to an object without spec.interval.
const defaultInterval = time.Minute

// Reconciler turns an OCIRepository into an artifact.
type Reconciler struct {
	// OCIRepositories writes status, through the server's loopback client.
	OCIRepositories gitopsclient.OCIRepositoriesGetter
	// Secrets reads spec.secretRef, spec.certSecretRef and
	// spec.proxySecretRef from the cluster, and ServiceAccounts
	// spec.serviceAccountName; nil without one.
	Secrets         corev1client.SecretsGetter
	ServiceAccounts corev1client.ServiceAccountsGetter
	// Storage keeps the artifacts.
	Storage *artifact.Storage
	// Events records Kubernetes Events about the objects; nil records none.
	Events record.EventRecorder
}

// Reconcile brings obj's status up to date with its spec and registry, and
// returns when to look again. An error asks for a retry with backoff; its
// cause is already written to status.
func (r *Reconciler) Reconcile(ctx context.Context, obj *v1alpha1.OCIRepository) (time.Duration, error) {
	if obj.Spec.Suspend {
		return 0, nil // an update that resumes it triggers the next run
	}
	obj = obj.DeepCopy()
	token, requested := controller.ReconcileRequest(obj, obj.Status.LastHandledReconcileAt)
	if why := conditions.NewWork(obj.Status.Conditions, obj.Generation, obj.Status.ObservedGeneration, requested); why != "" {
		markReconciling(obj, why)
		var err error
		if obj, err = r.writeStatus(ctx, obj); err != nil {
			return 0, err
		}
	}

	before := obj.Status.Artifact.DeepCopy()
	err := r.reconcileSteps(ctx, obj)
	source.Announce(r.Events, obj, before, obj.Status.Artifact, err, pullFailed)
	summarize(obj, err)
	obj.Status.LastHandledReconcileAt = token
	if _, writeErr := r.writeStatus(ctx, obj); writeErr != nil {
		return 0, writeErr
	}
	switch {
	case err == nil:
		return intervalOf(obj), nil
	case isStalled(err):
		return 0, nil // only an edit helps; the update triggers the next run
	default:
		return 0, err
	}
}

// reconcileSteps are the steps, in order; the first failure ends them.
// Together they may take spec.timeout. Nothing but a signature is
// downloaded when the registry still has the manifest of the stored
// artifact.
func (r *Reconciler) reconcileSteps(ctx context.Context, obj *v1alpha1.OCIRepository) error {
	ctx, cancel := context.WithTimeout(ctx, timeoutOf(obj))
	defer cancel()
	r.dropMissingArtifact(obj)
	plan, err := r.planPull(ctx, obj)
	defer plan.access.release()
	if err != nil {
		return err
	}
	if err := r.verifySignature(ctx, obj, plan); err != nil {
		return err
	}
	if artifactUpToDate(obj, plan.revision.String()) {
		return nil
	}
	return r.pullArtifact(ctx, obj, plan)
}

func (r *Reconciler) writeStatus(ctx context.Context, obj *v1alpha1.OCIRepository) (*v1alpha1.OCIRepository, error) {
	updated, err := r.OCIRepositories.OCIRepositories(obj.Namespace).UpdateStatus(ctx, obj, metav1.UpdateOptions{})
	if err != nil {
		return obj, fmt.Errorf("writing status: %w", err)
	}
	return updated, nil
}

func timeoutOf(obj *v1alpha1.OCIRepository) time.Duration {
	if obj.Spec.Timeout != nil && obj.Spec.Timeout.Duration > 0 {
		return obj.Spec.Timeout.Duration
	}
	return v1alpha1.DefaultSourceTimeout
}

func intervalOf(obj *v1alpha1.OCIRepository) time.Duration {
	if obj.Spec.Interval.Duration > 0 {
		return obj.Spec.Interval.Duration
	}
	return defaultInterval
}

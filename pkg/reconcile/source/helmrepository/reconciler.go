package helmrepository

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

// defaultInterval applies to an object without spec.interval; an OCI
// repository has nothing to poll, but its Secret may change.
const defaultInterval = 10 * time.Minute

// Reconciler turns a HelmRepository into an index artifact.
type Reconciler struct {
	// HelmRepositories writes status, through the server's loopback client.
	HelmRepositories gitopsclient.HelmRepositoriesGetter
	// Secrets reads spec.secretRef and spec.certSecretRef; nil without a cluster.
	Secrets corev1client.SecretsGetter
	// Storage keeps the artifacts.
	Storage *artifact.Storage
	// Events records Kubernetes Events about the objects; nil records none.
	Events record.EventRecorder
}

// Reconcile brings obj's status up to date with its spec and server, and
// returns when to look again. An error asks for a retry with backoff; its
// cause is already written to status.
func (r *Reconciler) Reconcile(ctx context.Context, obj *v1alpha1.HelmRepository) (time.Duration, error) {
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
	source.Announce(r.Events, obj, before, obj.Status.Artifact, err, indexationFailed)
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
// Together they may take spec.timeout. An index whose digest is that of the
// stored artifact is not stored again.
func (r *Reconciler) reconcileSteps(ctx context.Context, obj *v1alpha1.HelmRepository) error {
	ctx, cancel := context.WithTimeout(ctx, timeoutOf(obj))
	defer cancel()
	access, err := NewAccess(ctx, r.Secrets, obj)
	if err != nil {
		return err
	}
	if obj.Spec.Type == v1alpha1.HelmRepositoryTypeOCI {
		// Flux keeps no artifact for OCI repositories: charts are pulled
		// by the HelmCharts that name them.
		r.removeIndexes(obj)
		obj.Status.Artifact, obj.Status.URL = nil, ""
		return nil
	}
	r.dropMissingArtifact(obj)
	index, err := fetchIndex(ctx, access)
	if err != nil {
		return err
	}
	if a := obj.Status.Artifact; a != nil && a.Revision == index.revision {
		return nil
	}
	return r.storeIndex(obj, index)
}

func (r *Reconciler) writeStatus(ctx context.Context, obj *v1alpha1.HelmRepository) (*v1alpha1.HelmRepository, error) {
	updated, err := r.HelmRepositories.HelmRepositories(obj.Namespace).UpdateStatus(ctx, obj, metav1.UpdateOptions{})
	if err != nil {
		return obj, fmt.Errorf("writing status: %w", err)
	}
	return updated, nil
}

func intervalOf(obj *v1alpha1.HelmRepository) time.Duration {
	if obj.Spec.Interval.Duration > 0 {
		return obj.Spec.Interval.Duration
	}
	return defaultInterval
}

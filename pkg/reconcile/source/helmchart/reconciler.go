package helmchart

import (
	"context"
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"
	"k8s.io/client-go/tools/record"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	gitopsclient "gitops.io/apiserver/pkg/generated/clientset/versioned/typed/gitops/v1alpha1"
	listers "gitops.io/apiserver/pkg/generated/listers/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/artifact"
	"gitops.io/apiserver/pkg/reconcile/conditions"
	"gitops.io/apiserver/pkg/reconcile/controller"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// Reconciler turns a HelmChart into a packaged chart artifact.
type Reconciler struct {
	// HelmCharts writes status, through the server's loopback client.
	HelmCharts gitopsclient.HelmChartsGetter
	// Sources reads the objects spec.sourceRef names; NewController sets it.
	Sources Sources
	// Secrets reads the Secrets of HelmRepositories; nil without a cluster.
	Secrets corev1client.SecretsGetter
	// Storage keeps the artifacts, the sources' included.
	Storage *artifact.Storage
	// Events records Kubernetes Events about the objects; nil records none.
	Events record.EventRecorder
}

// Sources reads the kinds a HelmChart's chart comes from.
type Sources struct {
	HelmRepositories listers.HelmRepositoryLister
	GitRepositories  listers.GitRepositoryLister
	Buckets          listers.BucketLister
}

// Reconcile brings obj's status up to date with its spec and source, and
// returns when to look again. An error asks for a retry with backoff; its
// cause is already written to status.
func (r *Reconciler) Reconcile(ctx context.Context, obj *v1alpha1.HelmChart) (time.Duration, error) {
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
	r.announce(obj, before, err)
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

// reconcileSteps makes the chart from its source; the first failure ends
// them. They may take the source timeout. A chart whose version (and values
// files) the stored artifact already has is not stored again.
func (r *Reconciler) reconcileSteps(ctx context.Context, obj *v1alpha1.HelmChart) error {
	ctx, cancel := context.WithTimeout(ctx, v1alpha1.DefaultSourceTimeout)
	defer cancel()
	if a := obj.Status.Artifact; a != nil && !r.Storage.Exists(a.Path) {
		obj.Status.Artifact = nil // lost with its volume: build it again
	}
	ref := obj.Spec.SourceRef
	switch ref.Kind {
	case v1alpha1.HelmRepositoryKind:
		repo, err := r.Sources.HelmRepositories.HelmRepositories(obj.Namespace).Get(ref.Name)
		if err != nil {
			return fetchFailed(sourceUnavailable, "failed to get source HelmRepository '%s/%s': %v", obj.Namespace, ref.Name, err)
		}
		if repo.Spec.Type == v1alpha1.HelmRepositoryTypeOCI {
			return hideUserinfo(r.pullFromRegistry(ctx, obj, repo), repo.Spec.URL)
		}
		return hideUserinfo(r.pullFromIndex(ctx, obj, repo), repo.Spec.URL)
	case v1alpha1.GitRepositoryKind, v1alpha1.BucketKind:
		source, err := r.sourceArtifact(obj)
		if err != nil {
			return err
		}
		return r.packageFromSource(obj, source)
	}
	return source.Stalled(sourceUnavailable, "unsupported spec.sourceRef.kind '%s'", ref.Kind)
}

func (r *Reconciler) writeStatus(ctx context.Context, obj *v1alpha1.HelmChart) (*v1alpha1.HelmChart, error) {
	updated, err := r.HelmCharts.HelmCharts(obj.Namespace).UpdateStatus(ctx, obj, metav1.UpdateOptions{})
	if err != nil {
		return obj, fmt.Errorf("writing status: %w", err)
	}
	return updated, nil
}

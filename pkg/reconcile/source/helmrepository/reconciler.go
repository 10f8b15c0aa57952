package helmrepository

import (
	"context"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"
	"k8s.io/client-go/tools/record"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	gitopsclient "gitops.io/apiserver/pkg/generated/clientset/versioned/typed/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/artifact"
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

// indexRun is what the steps of one run hand each other.
type indexRun struct {
	access *Access
	index  fetchedIndex
}

// Kind is the HelmRepository on the reconciler runtime. Its steps may take
// spec.timeout together; an index whose digest is that of the stored
// artifact is not stored again.
func (r *Reconciler) Kind() *controller.Kind[*v1alpha1.HelmRepository, indexRun] {
	return &controller.Kind[*v1alpha1.HelmRepository, indexRun]{
		Name: kind,
		UpdateStatus: func(ctx context.Context, obj *v1alpha1.HelmRepository) (*v1alpha1.HelmRepository, error) {
			return r.HelmRepositories.HelmRepositories(obj.Namespace).UpdateStatus(ctx, obj, metav1.UpdateOptions{})
		},
		Schedule: func(obj *v1alpha1.HelmRepository) controller.Schedule {
			return source.ScheduleOf(obj.Spec.Suspend, obj.Spec.Interval, obj.Spec.Timeout, defaultInterval)
		},
		Steps: []controller.Step[*v1alpha1.HelmRepository, indexRun]{
			{Name: "access", Run: r.access},
			{Name: "skip OCI", Run: r.skipOCI},
			source.ForgetLostArtifact[*v1alpha1.HelmRepository, indexRun](r.Storage),
			{Name: "fetch index", Run: fetchIndexStep},
			{Name: "store index", Run: r.storeNewIndex},
		},
		Summarize: summarize,
		Finish: func(obj, before *v1alpha1.HelmRepository, _ *indexRun, err error) {
			source.Announce(r.Events, obj, before, err, v1alpha1.IndexationFailedReason)
		},
	}
}

// Reconcile runs the HelmRepository's steps on the runtime.
func (r *Reconciler) Reconcile(ctx context.Context, obj *v1alpha1.HelmRepository) (time.Duration, error) {
	return r.Kind().Reconcile(ctx, obj)
}

// access checks the URL and reads the Secrets.
func (r *Reconciler) access(ctx context.Context, obj *v1alpha1.HelmRepository, run *indexRun) error {
	var err error
	run.access, err = NewAccess(ctx, r.Secrets, obj)
	return err
}

// skipOCI ends the run of an OCI repository: Flux keeps no artifact for
// them, as charts are pulled by the HelmCharts that name them.
func (r *Reconciler) skipOCI(_ context.Context, obj *v1alpha1.HelmRepository, _ *indexRun) error {
	if obj.Spec.Type != v1alpha1.HelmRepositoryTypeOCI {
		return nil
	}
	r.removeIndexes(obj)
	obj.Status.Artifact, obj.Status.URL = nil, ""
	return controller.ErrUpToDate
}

func fetchIndexStep(ctx context.Context, _ *v1alpha1.HelmRepository, run *indexRun) (err error) {
	run.index, err = fetchIndex(ctx, run.access)
	return err
}

// storeNewIndex stores the index unless the stored artifact is it.
func (r *Reconciler) storeNewIndex(_ context.Context, obj *v1alpha1.HelmRepository, run *indexRun) error {
	if a := obj.Status.Artifact; a != nil && a.Revision == run.index.revision {
		return nil
	}
	return r.storeIndex(obj, run.index)
}

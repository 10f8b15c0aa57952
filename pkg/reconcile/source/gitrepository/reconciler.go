package gitrepository

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

// defaultInterval applies to an object without spec.interval.
const defaultInterval = time.Minute

// Reconciler turns a GitRepository into an artifact.
type Reconciler struct {
	// GitRepositories writes status, through the server's loopback client.
	GitRepositories gitopsclient.GitRepositoriesGetter
	// Secrets reads spec.secretRef from the cluster; nil without one.
	Secrets corev1client.SecretsGetter
	// Storage keeps the artifacts.
	Storage *artifact.Storage
	// Events records Kubernetes Events about the objects; nil records none.
	Events record.EventRecorder
	// AllowFileURLs lets spec.url and submodules be file:// URLs, which
	// read the server's own disk.
	AllowFileURLs bool
}

// Kind is the GitRepository on the reconciler runtime. Its steps may take
// spec.timeout together; nothing is downloaded when the remote still has
// the revision of the stored artifact.
func (r *Reconciler) Kind() *controller.Kind[*v1alpha1.GitRepository, fetchPlan] {
	return &controller.Kind[*v1alpha1.GitRepository, fetchPlan]{
		Name: kind,
		UpdateStatus: func(ctx context.Context, obj *v1alpha1.GitRepository) (*v1alpha1.GitRepository, error) {
			return r.GitRepositories.GitRepositories(obj.Namespace).UpdateStatus(ctx, obj, metav1.UpdateOptions{})
		},
		Schedule: scheduleOf,
		Steps: []controller.Step[*v1alpha1.GitRepository, fetchPlan]{
			source.ForgetLostArtifact[*v1alpha1.GitRepository, fetchPlan](r.Storage),
			{Name: "plan", Run: r.planFetch},
			{Name: "compare", Run: compareWithStored},
			{Name: "build", Run: r.buildArtifact},
		},
		Summarize: summarize,
		Finish: func(obj, before *v1alpha1.GitRepository, _ *fetchPlan, err error) {
			source.Announce(r.Events, obj, before, err, v1alpha1.GitOperationFailedReason)
		},
	}
}

// Reconcile runs the GitRepository's steps on the runtime.
func (r *Reconciler) Reconcile(ctx context.Context, obj *v1alpha1.GitRepository) (time.Duration, error) {
	return r.Kind().Reconcile(ctx, obj)
}

// compareWithStored ends the run when the stored artifact is already the
// planned revision, with the same includes.
func compareWithStored(_ context.Context, obj *v1alpha1.GitRepository, plan *fetchPlan) error {
	if artifactUpToDate(obj, plan.revision) && includesUpToDate(obj, plan.included) {
		return controller.ErrUpToDate
	}
	return nil
}

func scheduleOf(obj *v1alpha1.GitRepository) controller.Schedule {
	return source.ScheduleOf(obj.Spec.Suspend, obj.Spec.Interval, obj.Spec.Timeout, defaultInterval)
}

package ocirepository

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

// Kind is the OCIRepository on the reconciler runtime. Its steps may take
// spec.timeout together; nothing but a signature is downloaded when the
// registry still has the manifest of the stored artifact.
func (r *Reconciler) Kind() *controller.Kind[*v1alpha1.OCIRepository, pullPlan] {
	return &controller.Kind[*v1alpha1.OCIRepository, pullPlan]{
		Name: kind,
		UpdateStatus: func(ctx context.Context, obj *v1alpha1.OCIRepository) (*v1alpha1.OCIRepository, error) {
			return r.OCIRepositories.OCIRepositories(obj.Namespace).UpdateStatus(ctx, obj, metav1.UpdateOptions{})
		},
		Schedule: scheduleOf,
		Steps: []controller.Step[*v1alpha1.OCIRepository, pullPlan]{
			source.ForgetLostArtifact[*v1alpha1.OCIRepository, pullPlan](r.Storage),
			{Name: "plan", Run: r.planPull},
			{Name: "verify", Run: r.verifySignature},
			{Name: "compare", Run: func(_ context.Context, obj *v1alpha1.OCIRepository, plan *pullPlan) error {
				if artifactUpToDate(obj, plan.revision.String()) {
					return controller.ErrUpToDate
				}
				return nil
			}},
			{Name: "pull", Run: r.pullArtifact},
		},
		Summarize: summarize,
		Finish: func(obj, before *v1alpha1.OCIRepository, _ *pullPlan, err error) {
			source.Announce(r.Events, obj, before, err, v1alpha1.OCIPullFailedReason)
		},
		Release: func(plan *pullPlan) { plan.access.release() },
	}
}

// Reconcile runs the OCIRepository's steps on the runtime.
func (r *Reconciler) Reconcile(ctx context.Context, obj *v1alpha1.OCIRepository) (time.Duration, error) {
	return r.Kind().Reconcile(ctx, obj)
}

func scheduleOf(obj *v1alpha1.OCIRepository) controller.Schedule {
	return source.ScheduleOf(obj.Spec.Suspend, obj.Spec.Interval, obj.Spec.Timeout, defaultInterval)
}

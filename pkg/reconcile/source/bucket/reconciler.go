package bucket

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

// Reconciler turns a Bucket into an artifact.
type Reconciler struct {
	// Buckets writes status, through the server's loopback client.
	Buckets gitopsclient.BucketsGetter
	// Secrets reads spec.secretRef and spec.certSecretRef from the
	// cluster; nil without one.
	Secrets corev1client.SecretsGetter
	// Storage keeps the artifacts.
	Storage *artifact.Storage
	// Events records Kubernetes Events about the objects; nil records none.
	Events record.EventRecorder
}

// Kind is the Bucket on the reconciler runtime. Its steps may take
// spec.timeout together; nothing is downloaded when the bucket's index is
// the revision of the stored artifact.
func (r *Reconciler) Kind() *controller.Kind[*v1alpha1.Bucket, fetchPlan] {
	return &controller.Kind[*v1alpha1.Bucket, fetchPlan]{
		Name: kind,
		UpdateStatus: func(ctx context.Context, obj *v1alpha1.Bucket) (*v1alpha1.Bucket, error) {
			return r.Buckets.Buckets(obj.Namespace).UpdateStatus(ctx, obj, metav1.UpdateOptions{})
		},
		Schedule: scheduleOf,
		Steps: []controller.Step[*v1alpha1.Bucket, fetchPlan]{
			source.ForgetLostArtifact[*v1alpha1.Bucket, fetchPlan](r.Storage),
			{Name: "plan", Run: r.planFetch},
			{Name: "compare", Run: func(_ context.Context, obj *v1alpha1.Bucket, plan *fetchPlan) error {
				if artifactUpToDate(obj, plan.index.revision()) {
					return controller.ErrUpToDate
				}
				return nil
			}},
			{Name: "build", Run: r.buildArtifact},
		},
		Summarize: summarize,
		Finish: func(obj, before *v1alpha1.Bucket, _ *fetchPlan, err error) {
			source.Announce(r.Events, obj, before, err, v1alpha1.BucketOperationFailedReason)
		},
		Release: (*fetchPlan).close,
	}
}

// Reconcile runs the Bucket's steps on the runtime.
func (r *Reconciler) Reconcile(ctx context.Context, obj *v1alpha1.Bucket) (time.Duration, error) {
	return r.Kind().Reconcile(ctx, obj)
}

func scheduleOf(obj *v1alpha1.Bucket) controller.Schedule {
	return source.ScheduleOf(obj.Spec.Suspend, obj.Spec.Interval, obj.Spec.Timeout, defaultInterval)
}

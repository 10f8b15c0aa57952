package helmchart

import (
	"context"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"
	"k8s.io/client-go/tools/record"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	gitopsclient "gitops.io/apiserver/pkg/generated/clientset/versioned/typed/gitops/v1alpha1"
	listers "gitops.io/apiserver/pkg/generated/listers/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/artifact"
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

// Kind is the HelmChart on the reconciler runtime. Its steps may take the
// source timeout; a chart whose version (and values files) the stored
// artifact already has is not stored again.
func (r *Reconciler) Kind() *controller.Kind[*v1alpha1.HelmChart, struct{}] {
	return &controller.Kind[*v1alpha1.HelmChart, struct{}]{
		Name: kind,
		UpdateStatus: func(ctx context.Context, obj *v1alpha1.HelmChart) (*v1alpha1.HelmChart, error) {
			return r.HelmCharts.HelmCharts(obj.Namespace).UpdateStatus(ctx, obj, metav1.UpdateOptions{})
		},
		Schedule: func(obj *v1alpha1.HelmChart) controller.Schedule {
			return source.ScheduleOf(obj.Spec.Suspend, obj.Spec.Interval, nil, defaultInterval)
		},
		Steps: []controller.Step[*v1alpha1.HelmChart, struct{}]{
			source.ForgetLostArtifact[*v1alpha1.HelmChart, struct{}](r.Storage),
			{Name: "make chart", Run: r.makeChart},
		},
		Summarize: summarize,
		Finish: func(obj, before *v1alpha1.HelmChart, _ *struct{}, err error) {
			r.announce(obj, before, err)
		},
	}
}

// Reconcile runs the HelmChart's steps on the runtime.
func (r *Reconciler) Reconcile(ctx context.Context, obj *v1alpha1.HelmChart) (time.Duration, error) {
	return r.Kind().Reconcile(ctx, obj)
}

// makeChart pulls or packages the chart from its source.
func (r *Reconciler) makeChart(ctx context.Context, obj *v1alpha1.HelmChart, _ *struct{}) error {
	ref := obj.Spec.SourceRef
	switch ref.Kind {
	case v1alpha1.HelmRepositoryKind:
		repo, err := r.Sources.HelmRepositories.HelmRepositories(obj.Namespace).Get(ref.Name)
		if err != nil {
			return source.FetchFailed(sourceUnavailable, "failed to get source HelmRepository '%s/%s': %v", obj.Namespace, ref.Name, err)
		}
		if repo.Spec.Type == v1alpha1.HelmRepositoryTypeOCI {
			return hideUserinfo(r.pullFromRegistry(ctx, obj, repo), repo.Spec.URL)
		}
		return hideUserinfo(r.pullFromIndex(ctx, obj, repo), repo.Spec.URL)
	case v1alpha1.GitRepositoryKind, v1alpha1.BucketKind:
		src, err := r.sourceArtifact(obj)
		if err != nil {
			return err
		}
		return r.packageFromSource(obj, src)
	}
	return source.Stalled(sourceUnavailable, "unsupported spec.sourceRef.kind '%s'", ref.Kind)
}

package helmchart

import (
	"context"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/record"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	gitopsclient "gitops.io/apiserver/pkg/generated/clientset/versioned/typed/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/artifact"
	"gitops.io/apiserver/pkg/reconcile/controller"
	"gitops.io/apiserver/pkg/reconcile/source"
	"gitops.io/apiserver/pkg/reconcile/sourceref"
)

// Reconciler turns a HelmChart into a packaged chart artifact.
type Reconciler struct {
	// HelmCharts writes status, through the server's loopback client.
	HelmCharts gitopsclient.HelmChartsGetter
	// API is the loopback REST client, which source artifacts are fetched
	// through.
	API rest.Interface
	// Sources reads the objects spec.sourceRef names and fetches their
	// artifacts; NewController sets it.
	Sources sourceref.Sources
	// Secrets reads the Secrets of HelmRepositories; nil without a cluster.
	Secrets corev1client.SecretsGetter
	// Storage keeps the artifacts, the sources' included.
	Storage *artifact.Storage
	// Events records Kubernetes Events about the objects; nil records none.
	Events record.EventRecorder
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
	ref, err := sourceref.Resolve(v1alpha1.HelmChartSourceRef, obj.Namespace, sourceRefOf(obj), false)
	if err != nil {
		return source.Stalled(v1alpha1.SourceUnavailableReason, "%v", err)
	}
	if ref.Kind == v1alpha1.HelmRepositoryKind {
		repo, err := r.helmRepository(ref)
		if err != nil {
			return source.FetchFailed(v1alpha1.SourceUnavailableReason, "failed to get source HelmRepository '%s/%s': %v", ref.Namespace, ref.Name, err)
		}
		if repo.Spec.Type == v1alpha1.HelmRepositoryTypeOCI {
			return hideUserinfo(r.pullFromRegistry(ctx, obj, repo), repo.Spec.URL)
		}
		return hideUserinfo(r.pullFromIndex(ctx, obj, repo), repo.Spec.URL)
	}
	src, err := r.sourceArtifact(ref)
	if err != nil {
		return err
	}
	return r.packageFromSource(ctx, obj, ref, src)
}

// sourceRefOf is spec.sourceRef as written.
func sourceRefOf(obj *v1alpha1.HelmChart) sourceref.Ref {
	return sourceref.Ref{Kind: obj.Spec.SourceRef.Kind, Name: obj.Spec.SourceRef.Name}
}

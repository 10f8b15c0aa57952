package notification

import (
	"context"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	gitopsclient "gitops.io/apiserver/pkg/generated/clientset/versioned/typed/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/controller"
	"gitops.io/apiserver/pkg/reconcile/notification/provider"
	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/pkg/reconcile/secretref"
)

// Providers have nothing to fetch: they are looked at again when they or
// their Secrets change, and every providerInterval besides.
const (
	providerInterval = 10 * time.Minute
	providerTimeout  = 30 * time.Second
)

// ProviderReconciler checks Providers.
type ProviderReconciler struct {
	Client  gitopsclient.GitopsV1alpha1Interface
	Secrets secretref.Reader
}

// providerRun is what the Provider's steps hand each other: nothing.
type providerRun struct{}

// Kind is the Provider on the reconciler runtime.
func (r *ProviderReconciler) Kind() *controller.Kind[*v1alpha1.Provider, providerRun] {
	return &controller.Kind[*v1alpha1.Provider, providerRun]{
		Name: v1alpha1.ProviderKind,
		UpdateStatus: func(ctx context.Context, obj *v1alpha1.Provider) (*v1alpha1.Provider, error) {
			return r.Client.Providers(obj.Namespace).UpdateStatus(ctx, obj, metav1.UpdateOptions{})
		},
		Schedule: func(obj *v1alpha1.Provider) controller.Schedule {
			return controller.Schedule{Suspend: obj.Spec.Suspend, Interval: providerInterval,
				RetryInterval: providerInterval, Timeout: providerTimeout}
		},
		Steps: []controller.Step[*v1alpha1.Provider, providerRun]{
			{Name: "type", Run: checkType},
			{Name: "secrets", Run: r.checkSecrets},
		},
		Summarize: summarizeProvider,
	}
}

// Reconcile runs the Provider's steps on the runtime.
func (r *ProviderReconciler) Reconcile(ctx context.Context, obj *v1alpha1.Provider) (time.Duration, error) {
	return r.Kind().Reconcile(ctx, obj)
}

// checkType stalls a Provider of a type this server does not send yet.
func checkType(_ context.Context, obj *v1alpha1.Provider, _ *providerRun) error {
	if !provider.Supported(obj.Spec.Type) {
		return outcome.Stalled(v1alpha1.NotSupportedReason, "provider type '%s' is not supported yet", obj.Spec.Type)
	}
	return nil
}

// checkSecrets reads the Provider's Secrets and makes its sender, as a
// delivery would: what is missing is named.
func (r *ProviderReconciler) checkSecrets(ctx context.Context, obj *v1alpha1.Provider, _ *providerRun) error {
	config, err := provider.Configure(ctx, r.Secrets, obj)
	if err == nil {
		_, err = provider.New(obj.Spec.Type, config.Options)
	}
	if err != nil {
		return outcome.Failed(ValidationFailedReason, "%s", config.Mask(err.Error()))
	}
	return nil
}

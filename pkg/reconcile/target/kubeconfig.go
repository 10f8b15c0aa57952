package target

import (
	"context"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// config returns the target cluster's client config and whether it came
// from spec.kubeConfig.
func (c *Clusters) config(ctx context.Context, spec Spec) (*rest.Config, bool, error) {
	kc := spec.KubeConfig
	if kc != nil && kc.SecretRef == nil && kc.ConfigMapRef != nil {
		// Applying to this cluster instead would put a remote cluster's
		// objects where they do not belong.
		return nil, false, outcome.Stalled(v1alpha1.ReconciliationFailedReason,
			"spec.kubeConfig.configMapRef: workload identity for remote clusters is not supported; use spec.kubeConfig.secretRef")
	}
	if kc == nil || kc.SecretRef == nil {
		if c.Local == nil {
			return nil, false, outcome.Stalled(v1alpha1.ReconciliationFailedReason, "the server has no cluster to apply to; set spec.kubeConfig")
		}
		return rest.CopyConfig(c.Local), false, nil
	}
	if c.Secrets == nil {
		return nil, false, outcome.Failed(v1alpha1.ReconciliationFailedReason, "the server cannot read Secrets for spec.kubeConfig")
	}
	secret, err := c.Secrets.Secrets(spec.Namespace).Get(ctx, kc.SecretRef.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, false, outcome.Failed(v1alpha1.ReconciliationFailedReason, "spec.kubeConfig.secretRef: Secret '%s' not found", kc.SecretRef.Name)
	}
	if err != nil {
		return nil, false, err
	}
	key := kc.SecretRef.Key
	data, ok := secret.Data[key]
	if key == "" {
		if data, ok = secret.Data["value"]; !ok {
			data, ok = secret.Data["value.yaml"]
		}
		key = "value"
	}
	if !ok {
		return nil, false, outcome.Failed(v1alpha1.ReconciliationFailedReason, "spec.kubeConfig.secretRef: Secret '%s' has no key '%s'", kc.SecretRef.Name, key)
	}
	cfg, err := clientcmd.RESTConfigFromKubeConfig(data)
	if err != nil {
		return nil, false, outcome.Failed(v1alpha1.ReconciliationFailedReason, "spec.kubeConfig.secretRef: Secret '%s' key '%s' is not a kubeconfig: %v",
			kc.SecretRef.Name, key, err)
	}
	if cfg.ExecProvider != nil || cfg.AuthProvider != nil || cfg.CAFile != "" || cfg.CertFile != "" ||
		cfg.KeyFile != "" || cfg.BearerTokenFile != "" {
		// They would run programs or read files on the server's machine.
		return nil, false, outcome.Failed(v1alpha1.ReconciliationFailedReason, "spec.kubeConfig.secretRef: Secret '%s' key '%s': "+
			"exec and auth plugins and file paths are not allowed; embed the credentials", kc.SecretRef.Name, key)
	}
	return cfg, true, nil
}

package target

import (
	"context"
	"errors"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/pkg/reconcile/secretref"
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
	// Read as the object acts: it may use only a kubeconfig its identity
	// may read.
	secrets, err := c.secretsAs(spec.As)
	if err != nil {
		return nil, false, err
	}
	ref := secretref.Ref{Namespace: spec.Namespace, Name: kc.SecretRef.Name, Field: "spec.kubeConfig.secretRef"}
	values, err := secretref.Reader{Secrets: secrets}.Secret(ctx, ref)
	if errors.Is(err, secretref.ErrNotFound) {
		// The Secret is in the object's namespace, so its name alone names
		// it, as in the messages below.
		return nil, false, outcome.Failed(v1alpha1.ReconciliationFailedReason, "spec.kubeConfig.secretRef: Secret '%s' not found", kc.SecretRef.Name)
	}
	if err != nil {
		return nil, false, outcome.Failed(v1alpha1.ReconciliationFailedReason, "%w", err)
	}
	key := kc.SecretRef.Key
	data, ok := values[key]
	if key == "" {
		if data, ok = values["value"]; !ok {
			data, ok = values["value.yaml"]
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

package helmrepository

import (
	"context"
	"crypto/tls"

	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/secretref"
)

// credentials are what spec.secretRef and spec.certSecretRef give.
type credentials struct {
	username, password string
	// tls is the client's TLS configuration; nil for the system's roots.
	tls *tls.Config
}

// readCredentials reads spec.secretRef (username and password, both or
// neither; Flux's older certFile, keyFile and caFile, or ca.crt) and
// spec.certSecretRef (tls.crt, tls.key, ca.crt), whose TLS material wins.
func readCredentials(ctx context.Context, secrets corev1client.SecretsGetter, obj *v1alpha1.HelmRepository) (credentials, error) {
	var creds credentials
	refs := secretref.Reader{Secrets: secrets}
	if obj.Spec.SecretRef != nil {
		ref := secretref.Ref{Namespace: obj.Namespace, Name: obj.Spec.SecretRef.Name, Field: "spec.secretRef"}
		data, err := refs.Secret(ctx, ref)
		if err != nil {
			return creds, authFailed("%w", err)
		}
		creds.username, creds.password = secretref.BasicAuth(data)
		if (creds.username == "") != (creds.password == "") {
			return creds, authFailed("%s: Secret '%s' needs both username and password", ref.Field, ref)
		}
		if obj.Spec.CertSecretRef == nil && secretref.HasTLS(data) {
			if creds.tls, err = secretref.TLSConfig(ref, data); err != nil {
				return creds, authFailed("%w", err)
			}
		}
	}
	if obj.Spec.CertSecretRef != nil {
		ref := secretref.Ref{Namespace: obj.Namespace, Name: obj.Spec.CertSecretRef.Name, Field: "spec.certSecretRef"}
		data, err := refs.Secret(ctx, ref)
		if err != nil {
			return creds, authFailed("%w", err)
		}
		if creds.tls, err = secretref.TLSConfig(ref, data); err != nil {
			return creds, authFailed("%w", err)
		}
	}
	return creds, nil
}

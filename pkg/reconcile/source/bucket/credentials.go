package bucket

import (
	"context"
	"crypto/tls"
	"net/url"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/secretref"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// credentials are what spec.secretRef, spec.certSecretRef and
// spec.proxySecretRef give.
type credentials struct {
	// accessKey and secretKey sign the requests; both empty for
	// anonymous access.
	accessKey, secretKey string
	// tls is the client's TLS configuration; nil for the system's roots.
	tls *tls.Config
	// proxy is spec.proxySecretRef's proxy; nil for none.
	proxy *url.URL
}

// getCredentials reads spec.secretRef (Flux's accesskey and secretkey),
// spec.certSecretRef (ca.crt, and tls.crt with tls.key for a client
// certificate) and spec.proxySecretRef. Without a secretRef the bucket is
// read anonymously.
func (r *Reconciler) getCredentials(ctx context.Context, obj *v1alpha1.Bucket) (credentials, error) {
	var creds credentials
	refs := secretref.Reader{Secrets: r.Secrets}
	if obj.Spec.SecretRef != nil {
		ref := secretref.Ref{Namespace: obj.Namespace, Name: obj.Spec.SecretRef.Name, Field: "spec.secretRef"}
		data, err := refs.Secret(ctx, ref)
		if err != nil {
			return creds, authenticationFailed(err)
		}
		creds.accessKey, creds.secretKey = string(data["accesskey"]), string(data["secretkey"])
		if creds.accessKey == "" || creds.secretKey == "" {
			return creds, source.FetchFailed(v1alpha1.AuthenticationFailedReason,
				"invalid '%s' secret data: required fields 'accesskey' and 'secretkey'", ref)
		}
	}
	if obj.Spec.CertSecretRef != nil {
		if obj.Spec.Insecure {
			return creds, source.Stalled(v1alpha1.AuthenticationFailedReason,
				"spec.certSecretRef needs https, but spec.insecure asks for plain HTTP")
		}
		ref := secretref.Ref{Namespace: obj.Namespace, Name: obj.Spec.CertSecretRef.Name, Field: "spec.certSecretRef"}
		data, err := refs.Secret(ctx, ref)
		if err != nil {
			return creds, authenticationFailed(err)
		}
		if creds.tls, err = secretref.TLSConfig(ref, data); err != nil {
			return creds, authenticationFailed(err)
		}
	}
	var err error
	creds.proxy, err = r.getProxy(ctx, obj)
	return creds, err
}

// authenticationFailed is a Secret that cannot be read or used; retried,
// since fixing the Secret does not change the Bucket.
func authenticationFailed(err error) error {
	return source.FetchFailed(v1alpha1.AuthenticationFailedReason, "%w", err)
}

package bucket

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/url"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
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
	if ref := obj.Spec.SecretRef; ref != nil {
		data, err := r.readSecret(ctx, obj.Namespace, ref.Name)
		if err != nil {
			return creds, err
		}
		creds.accessKey, creds.secretKey = string(data["accesskey"]), string(data["secretkey"])
		if creds.accessKey == "" || creds.secretKey == "" {
			return creds, source.FetchFailed(source.AuthenticationFailedReason,
				"invalid '%s/%s' secret data: required fields 'accesskey' and 'secretkey'", obj.Namespace, ref.Name)
		}
	}
	if ref := obj.Spec.CertSecretRef; ref != nil {
		if obj.Spec.Insecure {
			return creds, source.Stalled(source.AuthenticationFailedReason,
				"spec.certSecretRef needs https, but spec.insecure asks for plain HTTP")
		}
		data, err := r.readSecret(ctx, obj.Namespace, ref.Name)
		if err != nil {
			return creds, err
		}
		if creds.tls, err = tlsConfig(obj.Namespace+"/"+ref.Name, data); err != nil {
			return creds, err
		}
	}
	var err error
	creds.proxy, err = r.getProxy(ctx, obj)
	return creds, err
}

// readSecret returns the data of Secret name in namespace.
func (r *Reconciler) readSecret(ctx context.Context, namespace, name string) (map[string][]byte, error) {
	full := namespace + "/" + name
	if r.Secrets == nil {
		return nil, source.FetchFailed(source.AuthenticationFailedReason, "cannot read Secret '%s': the server has no cluster connection", full)
	}
	secret, err := r.Secrets.Secrets(namespace).Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, source.FetchFailed(source.AuthenticationFailedReason, "Secret '%s' not found", full)
	}
	if err != nil {
		return nil, source.FetchFailed(source.AuthenticationFailedReason, "reading Secret '%s': %v", full, err)
	}
	return secret.Data, nil
}

// tlsConfig trusts ca.crt besides the system's roots and presents
// tls.crt/tls.key as client certificate, Flux's keys.
func tlsConfig(name string, data map[string][]byte) (*tls.Config, error) {
	ca, cert, key := data["ca.crt"], data["tls.crt"], data["tls.key"]
	if len(ca) == 0 && len(cert) == 0 && len(key) == 0 {
		return nil, source.FetchFailed(source.AuthenticationFailedReason, "Secret '%s' has neither ca.crt nor tls.crt and tls.key", name)
	}
	config := &tls.Config{MinVersion: tls.VersionTLS12}
	if len(ca) > 0 {
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(ca) {
			return nil, source.FetchFailed(source.AuthenticationFailedReason, "ca.crt of Secret '%s' holds no PEM certificate", name)
		}
		config.RootCAs = pool
	}
	if len(cert) > 0 || len(key) > 0 {
		pair, err := tls.X509KeyPair(cert, key)
		if err != nil {
			// The error names what is wrong, never the key's bytes.
			return nil, source.FetchFailed(source.AuthenticationFailedReason, "tls.crt and tls.key of Secret '%s': %v", name, err)
		}
		config.Certificates = []tls.Certificate{pair}
	}
	return config, nil
}

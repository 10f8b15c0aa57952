package helmrepository

import (
	"context"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// credentials are what spec.secretRef and spec.certSecretRef give.
type credentials struct {
	username, password string
	// caBundle is trusted besides the system's roots; certPEM and keyPEM
	// authenticate the client over TLS.
	caBundle, certPEM, keyPEM []byte
}

// readCredentials reads spec.secretRef (username and password; Flux's
// older certFile, keyFile and caFile, or ca.crt) and spec.certSecretRef
// (tls.crt, tls.key, ca.crt), whose TLS material wins.
func readCredentials(ctx context.Context, secrets corev1client.SecretsGetter, obj *v1alpha1.HelmRepository) (credentials, error) {
	var creds credentials
	if ref := obj.Spec.SecretRef; ref != nil {
		data, err := readSecret(ctx, secrets, obj.Namespace, ref.Name)
		if err != nil {
			return creds, err
		}
		creds.username, creds.password = string(data["username"]), string(data["password"])
		if (creds.username == "") != (creds.password == "") {
			return creds, authFailed("Secret '%s/%s' needs both username and password", obj.Namespace, ref.Name)
		}
		creds.certPEM, creds.keyPEM = data["certFile"], data["keyFile"]
		creds.caBundle = firstOf(data["ca.crt"], data["caFile"])
	}
	if ref := obj.Spec.CertSecretRef; ref != nil {
		data, err := readSecret(ctx, secrets, obj.Namespace, ref.Name)
		if err != nil {
			return creds, err
		}
		creds.certPEM, creds.keyPEM, creds.caBundle = data["tls.crt"], data["tls.key"], data["ca.crt"]
	}
	return creds, nil
}

func readSecret(ctx context.Context, secrets corev1client.SecretsGetter, namespace, name string) (map[string][]byte, error) {
	if secrets == nil {
		return nil, authFailed("cannot read Secret '%s/%s': the server has no cluster connection", namespace, name)
	}
	secret, err := secrets.Secrets(namespace).Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, authFailed("Secret '%s/%s' not found", namespace, name)
	}
	if err != nil {
		return nil, authFailed("reading Secret '%s/%s': %v", namespace, name, err)
	}
	return secret.Data, nil
}

func firstOf(values ...[]byte) []byte {
	for _, v := range values {
		if len(v) > 0 {
			return v
		}
	}
	return nil
}

package ocirepository

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// authFor reads the registry credentials of spec.secretRef, else of
// spec.serviceAccountName's image pull secrets; without either the
// registry is read anonymously.
func (r *Reconciler) authFor(ctx context.Context, obj *v1alpha1.OCIRepository, registry name.Registry) (authn.Authenticator, error) {
	switch {
	case obj.Spec.SecretRef != nil:
		secret, err := r.getSecret(ctx, obj, obj.Spec.SecretRef, "secretRef")
		if err != nil {
			return nil, err
		}
		return authenticatorFor(secret, registry)
	case obj.Spec.ServiceAccountName != "":
		return r.serviceAccountAuth(ctx, obj, registry)
	}
	return authn.Anonymous, nil
}

// getSecret reads the Secret ref names in obj's namespace; what says what
// it is for, in messages.
func (r *Reconciler) getSecret(ctx context.Context, obj *v1alpha1.OCIRepository, ref *v1alpha1.LocalObjectReference, what string) (*corev1.Secret, error) {
	name := obj.Namespace + "/" + ref.Name
	if r.Secrets == nil {
		return nil, source.FetchFailed(source.AuthenticationFailedReason, "cannot read %s Secret '%s': the server has no cluster connection", what, name)
	}
	secret, err := r.Secrets.Secrets(obj.Namespace).Get(ctx, ref.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, source.FetchFailed(source.AuthenticationFailedReason, "%s Secret '%s' not found", what, name)
	}
	if err != nil {
		return nil, source.FetchFailed(source.AuthenticationFailedReason, "reading %s Secret '%s': %v", what, name, err)
	}
	return secret, nil
}

// authenticatorFor reads registry credentials from secret, as Flux does: a
// kubernetes.io/dockerconfigjson Secret's entry for the registry, or
// username and password keys. A Secret without them is retried, not
// stalled: fixing the Secret does not change the object.
func authenticatorFor(secret *corev1.Secret, registry name.Registry) (authn.Authenticator, error) {
	name := secret.Namespace + "/" + secret.Name
	if config, ok := secret.Data[corev1.DockerConfigJsonKey]; ok {
		auth, err := dockerConfigAuth(config, registry.RegistryStr())
		if err != nil {
			return nil, source.FetchFailed(source.AuthenticationFailedReason, "Secret '%s': %v", name, err)
		}
		if auth == nil {
			return nil, source.FetchFailed(source.AuthenticationFailedReason, "Secret '%s' has no credentials for registry '%s'", name, registry.RegistryStr())
		}
		return authn.FromConfig(*auth), nil
	}
	username, password := string(secret.Data["username"]), string(secret.Data["password"])
	if username == "" || password == "" {
		return nil, source.FetchFailed(source.AuthenticationFailedReason, "Secret '%s' has neither %s nor username and password", name, corev1.DockerConfigJsonKey)
	}
	return authn.FromConfig(authn.AuthConfig{Username: username, Password: password}), nil
}

// dockerConfig is the part of a .dockerconfigjson that holds credentials.
type dockerConfig struct {
	Auths map[string]authn.AuthConfig `json:"auths"`
}

// dockerConfigAuth finds registry's entry in a .dockerconfigjson, whose keys
// may be a host or a URL; nil when it has none. Decoding turns an entry's
// "auth", base64 of username:password, into both.
func dockerConfigAuth(data []byte, registry string) (*authn.AuthConfig, error) {
	var config dockerConfig
	if err := json.Unmarshal(data, &config); err != nil {
		return nil, err // a JSON or base64 error quotes a character at most
	}
	for key, auth := range config.Auths {
		if registryOf(key) == registry {
			return &auth, nil
		}
	}
	return nil, nil
}

// registryOf is the host of a .dockerconfigjson key such as
// "https://registry.example:5000/v1/".
func registryOf(key string) string {
	key = strings.TrimPrefix(strings.TrimPrefix(key, "https://"), "http://")
	host, _, _ := strings.Cut(key, "/")
	return host
}

package ocirepository

import (
	"context"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	corev1 "k8s.io/api/core/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/secretref"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// authFor reads the registry credentials of spec.secretRef, else of
// spec.serviceAccountName's image pull secrets; without either the
// registry is read anonymously.
func (r *Reconciler) authFor(ctx context.Context, obj *v1alpha1.OCIRepository, registry name.Registry) (authn.Authenticator, error) {
	switch {
	case obj.Spec.SecretRef != nil:
		ref := secretRef(obj, obj.Spec.SecretRef.Name, "spec.secretRef")
		data, err := secretref.Reader{Secrets: r.Secrets}.Secret(ctx, ref)
		if err != nil {
			return nil, authenticationFailed(err)
		}
		return authenticatorFor(ref, data, registry)
	case obj.Spec.ServiceAccountName != "":
		return r.serviceAccountAuth(ctx, obj, registry)
	}
	return authn.Anonymous, nil
}

// secretRef is the Secret name in obj's namespace that field refers to.
func secretRef(obj *v1alpha1.OCIRepository, name, field string) secretref.Ref {
	return secretref.Ref{Namespace: obj.Namespace, Name: name, Field: field}
}

// authenticatorFor reads registry credentials from a Secret's data, as Flux
// does: a kubernetes.io/dockerconfigjson Secret's entry for the registry,
// or username and password keys. A Secret without them is retried, not
// stalled: fixing the Secret does not change the object.
func authenticatorFor(ref secretref.Ref, data map[string][]byte, registry name.Registry) (authn.Authenticator, error) {
	if secretref.HasDockerConfig(data) {
		auth, err := secretref.DockerConfigAuth(ref, data, registry.RegistryStr())
		if err != nil {
			return nil, authenticationFailed(err)
		}
		if auth == nil {
			return nil, source.FetchFailed(v1alpha1.AuthenticationFailedReason, "%s: Secret '%s' has no credentials for registry '%s'",
				ref.Field, ref, registry.RegistryStr())
		}
		return authn.FromConfig(*auth), nil
	}
	username, password := secretref.BasicAuth(data)
	if username == "" || password == "" {
		return nil, source.FetchFailed(v1alpha1.AuthenticationFailedReason, "%s: Secret '%s' has neither %s nor username and password",
			ref.Field, ref, corev1.DockerConfigJsonKey)
	}
	return authn.FromConfig(authn.AuthConfig{Username: username, Password: password}), nil
}

// authenticationFailed is a Secret that cannot be read or used.
func authenticationFailed(err error) error {
	return source.FetchFailed(v1alpha1.AuthenticationFailedReason, "%w", err)
}

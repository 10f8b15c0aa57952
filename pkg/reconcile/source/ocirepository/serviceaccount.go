package ocirepository

import (
	"context"
	"fmt"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/secretref"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// serviceAccountAuth finds credentials for registry among the image pull
// secrets of spec.serviceAccountName, the first with an entry for it
// winning, as for a Pod's images; anonymous when none has one.
func (r *Reconciler) serviceAccountAuth(ctx context.Context, obj *v1alpha1.OCIRepository, registry name.Registry) (authn.Authenticator, error) {
	saName := obj.Namespace + "/" + obj.Spec.ServiceAccountName
	if r.ServiceAccounts == nil {
		return nil, source.FetchFailed(v1alpha1.AuthenticationFailedReason, "cannot read ServiceAccount '%s': the server has no cluster connection", saName)
	}
	sa, err := r.ServiceAccounts.ServiceAccounts(obj.Namespace).Get(ctx, obj.Spec.ServiceAccountName, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, source.FetchFailed(v1alpha1.AuthenticationFailedReason, "ServiceAccount '%s' not found", saName)
	}
	if err != nil {
		return nil, source.FetchFailed(v1alpha1.AuthenticationFailedReason, "reading ServiceAccount '%s': %v", saName, err)
	}
	for i, pullSecret := range sa.ImagePullSecrets {
		ref := secretRef(obj, pullSecret.Name, fmt.Sprintf("imagePullSecrets[%d] of ServiceAccount '%s'", i, saName))
		data, err := secretref.Reader{Secrets: r.Secrets}.Secret(ctx, ref)
		if err != nil {
			return nil, authenticationFailed(err)
		}
		auth, err := secretref.DockerConfigAuth(ref, data, registry.RegistryStr())
		if err != nil {
			return nil, authenticationFailed(err)
		}
		if auth != nil {
			return authn.FromConfig(*auth), nil
		}
	}
	return authn.Anonymous, nil
}

package gitrepository

import (
	"context"

	"github.com/go-git/go-git/v5/plumbing/transport"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// getProxy reads spec.proxySecretRef, Flux's keys: address (required),
// username and password. Git traffic then goes through that proxy.
func (r *Reconciler) getProxy(ctx context.Context, obj *v1alpha1.GitRepository, creds *credentials) error {
	ref := obj.Spec.ProxySecretRef
	if ref == nil {
		return nil
	}
	name := obj.Namespace + "/" + ref.Name
	if r.Secrets == nil {
		return source.FetchFailed(source.AuthenticationFailedReason, "cannot read Secret '%s': the server has no cluster connection", name)
	}
	secret, err := r.Secrets.Secrets(obj.Namespace).Get(ctx, ref.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return source.FetchFailed(source.AuthenticationFailedReason, "proxy Secret '%s' not found", name)
	}
	if err != nil {
		return source.FetchFailed(source.AuthenticationFailedReason, "reading proxy Secret '%s': %v", name, err)
	}
	address := string(secret.Data["address"])
	if address == "" {
		return source.FetchFailed(source.URLInvalidReason, "proxy Secret '%s' has no address", name)
	}
	password := string(secret.Data["password"])
	creds.proxy = transport.ProxyOptions{URL: address, Username: string(secret.Data["username"]), Password: password}
	creds.secrets = append(creds.secrets, password)
	return nil
}

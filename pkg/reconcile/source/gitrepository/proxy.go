package gitrepository

import (
	"context"

	"github.com/go-git/go-git/v5/plumbing/transport"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/secretref"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// getProxy reads spec.proxySecretRef. Git traffic then goes through that
// proxy.
func (r *Reconciler) getProxy(ctx context.Context, obj *v1alpha1.GitRepository, creds *credentials) error {
	if obj.Spec.ProxySecretRef == nil {
		return nil
	}
	ref := secretref.Ref{Namespace: obj.Namespace, Name: obj.Spec.ProxySecretRef.Name, Field: "spec.proxySecretRef"}
	data, err := secretref.Reader{Secrets: r.Secrets}.Secret(ctx, ref)
	if err != nil {
		return source.FetchFailed(v1alpha1.AuthenticationFailedReason, "%w", err)
	}
	proxy, err := secretref.ProxyURL(ref, data)
	if err != nil {
		return source.FetchFailed(v1alpha1.URLInvalidReason, "%w", err)
	}
	// go-git takes the credentials apart from the address.
	password, _ := proxy.User.Password()
	creds.proxy = transport.ProxyOptions{Username: proxy.User.Username(), Password: password}
	proxy.User = nil
	creds.proxy.URL = proxy.String()
	creds.secrets = append(creds.secrets, password)
	return nil
}

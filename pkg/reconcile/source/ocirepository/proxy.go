package ocirepository

import (
	"context"
	"net/http"
	"net/url"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// proxyFor reads spec.proxySecretRef, Flux's keys: address (required),
// username and password. Registry traffic then goes through that proxy;
// nil without a proxySecretRef. A bad Secret is retried: fixing it does
// not change the object.
func (r *Reconciler) proxyFor(ctx context.Context, obj *v1alpha1.OCIRepository) (func(*http.Request) (*url.URL, error), error) {
	ref := obj.Spec.ProxySecretRef
	if ref == nil {
		return nil, nil
	}
	secret, err := r.getSecret(ctx, obj, ref, "proxySecretRef")
	if err != nil {
		return nil, err
	}
	name := obj.Namespace + "/" + ref.Name
	address := string(secret.Data["address"])
	if address == "" {
		return nil, source.FetchFailed(source.URLInvalidReason, "proxy Secret '%s' has no address", name)
	}
	// The parse error would quote the address, which may hold a password.
	proxy, err := url.Parse(address)
	if err != nil || proxy.Host == "" {
		return nil, source.FetchFailed(source.URLInvalidReason, "proxy Secret '%s' has an address that is not a URL", name)
	}
	if username := string(secret.Data["username"]); username != "" {
		proxy.User = url.UserPassword(username, string(secret.Data["password"]))
	}
	return http.ProxyURL(proxy), nil
}

package bucket

import (
	"context"
	"net/url"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// getProxy reads spec.proxySecretRef, Flux's keys: address (required),
// username and password. Requests to the bucket then go through that
// proxy; nil without a proxySecretRef.
func (r *Reconciler) getProxy(ctx context.Context, obj *v1alpha1.Bucket) (*url.URL, error) {
	ref := obj.Spec.ProxySecretRef
	if ref == nil {
		return nil, nil
	}
	data, err := r.readSecret(ctx, obj.Namespace, ref.Name)
	if err != nil {
		return nil, err
	}
	name := obj.Namespace + "/" + ref.Name
	// Retried rather than stalled: fixing the Secret is enough.
	proxy, err := url.Parse(string(data["address"]))
	switch {
	case len(data["address"]) == 0:
		return nil, source.FetchFailed(source.URLInvalidReason, "proxy Secret '%s' has no address", name)
	case err != nil || proxy.Host == "" || (proxy.Scheme != "http" && proxy.Scheme != "https"):
		// The address is not shown: it may hold a password.
		return nil, source.FetchFailed(source.URLInvalidReason, "address of proxy Secret '%s' is not an http(s) URL", name)
	}
	if user := string(data["username"]); user != "" {
		proxy.User = url.UserPassword(user, string(data["password"]))
	}
	return proxy, nil
}

package bucket

import (
	"context"
	"net/url"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/secretref"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// getProxy reads spec.proxySecretRef. Requests to the bucket then go
// through that proxy; nil without a proxySecretRef.
func (r *Reconciler) getProxy(ctx context.Context, obj *v1alpha1.Bucket) (*url.URL, error) {
	if obj.Spec.ProxySecretRef == nil {
		return nil, nil
	}
	ref := secretref.Ref{Namespace: obj.Namespace, Name: obj.Spec.ProxySecretRef.Name, Field: "spec.proxySecretRef"}
	data, err := secretref.Reader{Secrets: r.Secrets}.Secret(ctx, ref)
	if err != nil {
		return nil, authenticationFailed(err)
	}
	proxy, err := secretref.ProxyURL(ref, data)
	if err != nil {
		return nil, source.FetchFailed(v1alpha1.URLInvalidReason, "%w", err)
	}
	return proxy, nil
}

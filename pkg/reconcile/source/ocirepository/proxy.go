package ocirepository

import (
	"context"
	"net/http"
	"net/url"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/secretref"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// proxyFor reads spec.proxySecretRef. Registry traffic then goes through
// that proxy; nil without a proxySecretRef.
func (r *Reconciler) proxyFor(ctx context.Context, obj *v1alpha1.OCIRepository) (func(*http.Request) (*url.URL, error), error) {
	if obj.Spec.ProxySecretRef == nil {
		return nil, nil
	}
	ref := secretRef(obj, obj.Spec.ProxySecretRef.Name, "spec.proxySecretRef")
	data, err := secretref.Reader{Secrets: r.Secrets}.Secret(ctx, ref)
	if err != nil {
		return nil, authenticationFailed(err)
	}
	proxy, err := secretref.ProxyURL(ref, data)
	if err != nil {
		return nil, source.FetchFailed(v1alpha1.URLInvalidReason, "%w", err)
	}
	return http.ProxyURL(proxy), nil
}

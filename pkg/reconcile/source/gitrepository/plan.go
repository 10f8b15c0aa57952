package gitrepository

import (
	"context"
	"net/url"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// fetchPlan is what a fetch needs: where from, with which credentials,
// which revision, and the artifacts to include.
type fetchPlan struct {
	remote   *url.URL
	creds    credentials
	want     wantedRef
	revision remoteRevision
	included []includedSource
}

// planFetch checks the spec, reads the Secrets and asks the remote which
// revision the ref is at, without downloading anything.
func (r *Reconciler) planFetch(ctx context.Context, obj *v1alpha1.GitRepository, plan *fetchPlan) error {
	var err error
	if err = checkSupported(obj); err != nil {
		return err
	}
	if plan.remote, err = parseURL(obj.Spec.URL, r.AllowFileURLs); err != nil {
		return err
	}
	if plan.creds, err = r.getCredentials(ctx, obj, plan.remote); err != nil {
		return err
	}
	if err = r.getProxy(ctx, obj, &plan.creds); err != nil {
		return err
	}
	plan.want = wantedRefOf(obj)
	if plan.revision, err = resolveRevision(ctx, plan.remote.String(), plan.creds, plan.want); err != nil {
		return err
	}
	plan.included, err = r.getIncludes(ctx, obj)
	return err
}

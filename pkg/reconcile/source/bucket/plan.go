package bucket

import (
	"context"

	"github.com/minio/minio-go/v7"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// fetchPlan is what a fetch needs: the client and the objects to download.
type fetchPlan struct {
	client *minio.Client
	index  objectIndex
}

// planFetch checks the spec, reads the Secrets and lists the bucket,
// without downloading any object but the ignore file.
func (r *Reconciler) planFetch(ctx context.Context, obj *v1alpha1.Bucket) (fetchPlan, error) {
	var plan fetchPlan
	if err := checkSupported(obj); err != nil {
		return plan, err
	}
	if err := checkEndpoint(obj.Spec.Endpoint); err != nil {
		return plan, err
	}
	creds, err := r.getCredentials(ctx, obj)
	if err != nil {
		return plan, err
	}
	if plan.client, err = newClient(obj, creds); err != nil {
		return plan, err
	}
	ignore, err := ignoreMatcher(ctx, plan.client, obj)
	if err != nil {
		return plan, err
	}
	plan.index, err = listIndex(ctx, plan.client, obj, ignore)
	return plan, err
}

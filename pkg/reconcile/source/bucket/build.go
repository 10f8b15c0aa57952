package bucket

import (
	"context"
	"os"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// buildArtifact downloads the planned objects and stores them.
func (r *Reconciler) buildArtifact(ctx context.Context, obj *v1alpha1.Bucket, plan *fetchPlan) error {
	dir, err := os.MkdirTemp("", "bucket-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := download(ctx, plan.client, obj.Spec.BucketName, plan.index, dir); err != nil {
		return err
	}
	return r.storeArtifact(obj, dir, plan.index.revision())
}

package gitrepository

import (
	"context"
	"os"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// buildArtifact checks out the planned revision (and its submodules),
// verifies it, copies the includes in and stores the result.
func (r *Reconciler) buildArtifact(ctx context.Context, obj *v1alpha1.GitRepository, plan *fetchPlan) error {
	dir, err := os.MkdirTemp("", "gitrepository-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	rev, err := checkout(ctx, dir, plan.remote, plan.creds, plan.revision, plan.want.commit != "", obj.Spec.SparseCheckout)
	if err != nil {
		return err
	}
	if obj.Spec.RecurseSubmodules {
		if err := updateSubmodules(ctx, dir, plan.creds, r.AllowFileURLs); err != nil {
			return err
		}
	}
	if err := r.verifySignatures(ctx, obj, dir, rev); err != nil {
		return err
	}
	if err := r.copyIncludes(dir, plan.included); err != nil {
		return err
	}
	return r.storeArtifact(obj, dir, rev, plan.included)
}

package ocirepository

import (
	"context"

	"github.com/google/go-containerregistry/pkg/name"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// pullPlan is what a pull needs: which repository, how to reach it, and
// the manifest spec.ref resolved to.
type pullPlan struct {
	repo     name.Repository
	access   registryAccess
	revision revision
}

// planPull checks the spec, reads the Secrets and asks the registry which
// manifest the ref means, without downloading the artifact. Release the
// plan's access when done, failed or not.
func (r *Reconciler) planPull(ctx context.Context, obj *v1alpha1.OCIRepository, plan *pullPlan) error {
	var err error
	if err = checkSupported(obj); err != nil {
		return err
	}
	if plan.repo, err = parseURL(obj.Spec.URL, obj.Spec.Insecure); err != nil {
		return err
	}
	if plan.access, err = r.accessFor(ctx, obj, plan.repo); err != nil {
		return err
	}
	plan.revision, err = resolveRevision(plan.repo, obj.Spec.Reference, plan.access)
	return err
}

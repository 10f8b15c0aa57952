package kustomize

import (
	"context"
	"os"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/sourceref"
)

// sourceRefOf is spec.sourceRef as written.
func sourceRefOf(obj *v1alpha1.Kustomization) sourceref.Ref {
	ref := obj.Spec.SourceRef
	return sourceref.Ref{Kind: ref.Kind, Namespace: ref.Namespace, Name: ref.Name}
}

// resolveSource finds the source's artifact, the revision this run
// attempts. A source in another namespace is used only when the identity
// the Kustomization acts as may read its artifact there.
func (r *Reconciler) resolveSource(ctx context.Context, obj *v1alpha1.Kustomization, run *run) error {
	var err error
	field := v1alpha1.KustomizationSourceRef
	run.src, err = sourceref.Resolve(field, obj.Namespace, sourceRefOf(obj), r.NoCrossNamespaceRefs)
	if err != nil {
		return err
	}
	if run.src.Namespace != obj.Namespace {
		if err := r.Identities.CheckSource(ctx, field.Path, run.as, run.src.Kind, run.src.Namespace, run.src.Name); err != nil {
			return err
		}
	}
	if run.artifact, err = r.Sources.Artifact(run.src); err != nil {
		return err
	}
	obj.Status.LastAttemptedRevision = run.artifact.Revision
	return nil
}

// fetch unpacks the source's artifact, digest checked, into a new
// temporary directory, which the caller removes.
func (r *Reconciler) fetch(ctx context.Context, src sourceref.Ref, want *v1alpha1.Artifact) (string, error) {
	dir, err := os.MkdirTemp("", "kustomization-")
	if err != nil {
		return "", err
	}
	if err := r.Sources.Fetch(ctx, src, want, dir); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}

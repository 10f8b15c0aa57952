package kustomize

import (
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	listers "gitops.io/apiserver/pkg/generated/listers/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// Sources reads the source objects a Kustomization may refer to.
type Sources struct {
	GitRepositories listers.GitRepositoryLister
	OCIRepositories listers.OCIRepositoryLister
	Buckets         listers.BucketLister
}

// sourceRef is a resolved spec.sourceRef.
type sourceRef struct {
	kind, resource, namespace, name string
}

func (s sourceRef) String() string { return s.kind + "/" + s.namespace + "/" + s.name }

// resources maps the source kinds a Kustomization accepts to their resources.
var resources = map[string]string{
	v1alpha1.GitRepositoryKind: "gitrepositories",
	v1alpha1.OCIRepositoryKind: "ocirepositories",
	v1alpha1.BucketKind:        "buckets",
}

// sourceOf resolves spec.sourceRef, refusing another namespace when the
// server forbids cross-namespace references.
func (r *Reconciler) sourceOf(obj *v1alpha1.Kustomization) (sourceRef, error) {
	ref := obj.Spec.SourceRef
	src := sourceRef{kind: ref.Kind, resource: resources[ref.Kind], namespace: ref.Namespace, name: ref.Name}
	if src.namespace == "" {
		src.namespace = obj.Namespace
	}
	if src.resource == "" {
		return src, outcome.Stalled(v1alpha1.ArtifactFailedReason, "spec.sourceRef.kind: %q is not a source a Kustomization can use", ref.Kind)
	}
	if r.NoCrossNamespaceRefs && src.namespace != obj.Namespace {
		return src, outcome.Stalled(v1alpha1.ArtifactFailedReason,
			"spec.sourceRef: cannot refer to %s: cross-namespace references are not allowed on this server", src)
	}
	return src, nil
}

// artifactOf returns the source's current artifact; a missing source or
// one without an artifact yet is waited for.
func (r *Reconciler) artifactOf(src sourceRef) (*v1alpha1.Artifact, error) {
	var artifact *v1alpha1.Artifact
	var err error
	switch src.kind {
	case v1alpha1.GitRepositoryKind:
		var o *v1alpha1.GitRepository
		if o, err = r.Sources.GitRepositories.GitRepositories(src.namespace).Get(src.name); err == nil {
			artifact = o.Status.Artifact
		}
	case v1alpha1.OCIRepositoryKind:
		var o *v1alpha1.OCIRepository
		if o, err = r.Sources.OCIRepositories.OCIRepositories(src.namespace).Get(src.name); err == nil {
			artifact = o.Status.Artifact
		}
	case v1alpha1.BucketKind:
		var o *v1alpha1.Bucket
		if o, err = r.Sources.Buckets.Buckets(src.namespace).Get(src.name); err == nil {
			artifact = o.Status.Artifact
		}
	}
	switch {
	case apierrors.IsNotFound(err):
		return nil, outcome.Waiting(v1alpha1.ArtifactFailedReason, "Source '%s' not found", src)
	case err != nil:
		return nil, err
	case artifact == nil:
		return nil, outcome.Waiting(v1alpha1.ArtifactFailedReason, "Source '%s' is not ready, artifact not found", src)
	}
	return artifact, nil
}

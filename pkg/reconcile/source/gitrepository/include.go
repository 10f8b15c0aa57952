package gitrepository

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// includeUnavailable is Flux's condition for an included GitRepository
// that has no artifact to copy.
const includeUnavailable = "IncludeUnavailable"

// includedSource is one spec.include with the artifact it copies.
type includedSource struct {
	include  v1alpha1.GitRepositoryInclude
	artifact v1alpha1.Artifact
}

// getIncludes reads the GitRepositories of spec.include; each must have an
// artifact, and none may include obj back.
func (r *Reconciler) getIncludes(ctx context.Context, obj *v1alpha1.GitRepository) ([]includedSource, error) {
	var sources []includedSource
	for _, include := range obj.Spec.Include {
		name := include.GitRepositoryRef.Name
		if name == obj.Name {
			return nil, source.Stalled(v1alpha1.IncludeUnavailableReason, "GitRepository '%s' includes itself", name)
		}
		included, err := r.GitRepositories.GitRepositories(obj.Namespace).Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return nil, includeError("included GitRepository '%s' not found", name)
		}
		if err != nil {
			return nil, includeError("reading included GitRepository '%s': %v", name, err)
		}
		for _, back := range included.Spec.Include {
			if back.GitRepositoryRef.Name == obj.Name {
				return nil, source.Stalled(v1alpha1.IncludeUnavailableReason, "GitRepository '%s' includes this one: a circle", name)
			}
		}
		a := included.Status.Artifact
		if a == nil || !r.Storage.Exists(a.Path) {
			return nil, includeError("included GitRepository '%s' has no artifact yet", name)
		}
		sources = append(sources, includedSource{include: include, artifact: *a})
	}
	return sources, nil
}

// includesUpToDate reports whether the artifact was built with these
// includes and their current artifacts.
func includesUpToDate(obj *v1alpha1.GitRepository, sources []includedSource) bool {
	if !equality.Semantic.DeepEqual(obj.Status.ObservedInclude, obj.Spec.Include) ||
		len(obj.Status.IncludedArtifacts) != len(sources) {
		return false
	}
	for i, s := range sources {
		if obj.Status.IncludedArtifacts[i].Digest != s.artifact.Digest {
			return false
		}
	}
	return true
}

// copyIncludes copies each included artifact (its fromPath) into the
// checkout in dir, at toPath: the included GitRepository's name by default.
func (r *Reconciler) copyIncludes(dir string, sources []includedSource) error {
	for _, s := range sources {
		toPath := s.include.ToPath
		if toPath == "" {
			toPath = s.include.GitRepositoryRef.Name
		}
		// Cleaned as if rooted, so "../x" stays inside the checkout.
		dest := filepath.Join(dir, filepath.FromSlash(path.Clean("/" + toPath)[1:]))
		if dest == dir || dest == filepath.Join(dir, ".git") {
			return source.Stalled(v1alpha1.IncludeUnavailableReason, "include toPath '%s' would replace the checkout", toPath)
		}
		if err := os.RemoveAll(dest); err != nil {
			return err
		}
		if err := r.Storage.Extract(s.artifact.Path, s.include.FromPath, dest); err != nil {
			return includeError("copying the artifact of '%s': %v", s.include.GitRepositoryRef.Name, err)
		}
	}
	return nil
}

func includedArtifacts(sources []includedSource) []v1alpha1.Artifact {
	var artifacts []v1alpha1.Artifact
	for _, s := range sources {
		artifacts = append(artifacts, s.artifact)
	}
	return artifacts
}

func includeError(format string, args ...any) *outcome.Failure {
	return &outcome.Failure{Condition: includeUnavailable, Reason: v1alpha1.IncludeUnavailableReason, Err: fmt.Errorf(format, args...)}
}

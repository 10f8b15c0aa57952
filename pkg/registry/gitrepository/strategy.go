// Package gitrepository serves GitRepository objects: sources that check out a Git repository.
package gitrepository

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/apis/gitops/validation"
	"gitops.io/apiserver/pkg/registry/kindregistry"
)

// definition tells the shared strategies where GitRepository keeps its spec and
// status and how it is validated; see kindregistry.Strategy for the rest
// (generation, status reset, status subresource).
var definition = kindregistry.Definition[*v1alpha1.GitRepository, v1alpha1.GitRepositorySpec, v1alpha1.GitRepositoryStatus]{
	Spec:           func(o *v1alpha1.GitRepository) *v1alpha1.GitRepositorySpec { return &o.Spec },
	Status:         func(o *v1alpha1.GitRepository) *v1alpha1.GitRepositoryStatus { return &o.Status },
	Validate:       validation.ValidateGitRepository,
	ValidateUpdate: validation.ValidateGitRepositoryUpdate,
}

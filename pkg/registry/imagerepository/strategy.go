// Package imagerepository serves ImageRepository objects: container image repositories scanned for tags.
package imagerepository

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/apis/gitops/validation"
	"gitops.io/apiserver/pkg/registry/kindregistry"
)

// definition tells the shared strategies where ImageRepository keeps its spec and
// status and how it is validated; see kindregistry.Strategy for the rest
// (generation, status reset, status subresource).
var definition = kindregistry.Definition[*v1alpha1.ImageRepository, v1alpha1.ImageRepositorySpec, v1alpha1.ImageRepositoryStatus]{
	Spec:           func(o *v1alpha1.ImageRepository) *v1alpha1.ImageRepositorySpec { return &o.Spec },
	Status:         func(o *v1alpha1.ImageRepository) *v1alpha1.ImageRepositoryStatus { return &o.Status },
	Validate:       validation.ValidateImageRepository,
	ValidateUpdate: validation.ValidateImageRepositoryUpdate,
}

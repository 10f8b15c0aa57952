// Package ocirepository serves OCIRepository objects: sources that pull an OCI artifact.
package ocirepository

import (
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/registry/rest"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/apis/gitops/validation"
	"gitops.io/apiserver/pkg/registry/kindregistry"
)

// definition tells the shared strategies where OCIRepository keeps its spec and
// status and how it is validated; see kindregistry.Strategy for the rest
// (generation, status reset, status subresource).
var definition = kindregistry.Definition[*v1alpha1.OCIRepository, v1alpha1.OCIRepositorySpec, v1alpha1.OCIRepositoryStatus]{
	Spec:         func(o *v1alpha1.OCIRepository) *v1alpha1.OCIRepositorySpec { return &o.Spec },
	Status:       func(o *v1alpha1.OCIRepository) *v1alpha1.OCIRepositoryStatus { return &o.Status },
	ValidateSpec: validation.ValidateOCIRepositorySpec,
}

// NewStrategy returns the create and update strategy of ocirepositories, for
// checking objects that do not come through the REST API, such as files
// pushed to the storage repository.
func NewStrategy(typer runtime.ObjectTyper) rest.RESTCreateUpdateStrategy {
	return kindregistry.NewStrategy(typer, definition)
}

// Package imagepolicy serves ImagePolicy objects: rules that pick the latest image.
package imagepolicy

import (
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/registry/rest"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/apis/gitops/validation"
	"gitops.io/apiserver/pkg/registry/kindregistry"
)

// definition tells the shared strategies where ImagePolicy keeps its spec and
// status and how it is validated; see kindregistry.Strategy for the rest
// (generation, status reset, status subresource).
var definition = kindregistry.Definition[*v1alpha1.ImagePolicy, v1alpha1.ImagePolicySpec, v1alpha1.ImagePolicyStatus]{
	Spec:         func(o *v1alpha1.ImagePolicy) *v1alpha1.ImagePolicySpec { return &o.Spec },
	Status:       func(o *v1alpha1.ImagePolicy) *v1alpha1.ImagePolicyStatus { return &o.Status },
	ValidateSpec: validation.ValidateImagePolicySpec,
}

// NewStrategy returns the create and update strategy of imagepolicies, for
// checking objects that do not come through the REST API, such as files
// pushed to the storage repository.
func NewStrategy(typer runtime.ObjectTyper) rest.RESTCreateUpdateStrategy {
	return kindregistry.NewStrategy(typer, definition)
}

// Package helmrelease serves HelmRelease objects: Helm charts installed into the cluster.
package helmrelease

import (
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/registry/rest"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/apis/gitops/validation"
	"gitops.io/apiserver/pkg/registry/kindregistry"
)

// definition tells the shared strategies where HelmRelease keeps its spec and
// status and how it is validated; see kindregistry.Strategy for the rest
// (generation, status reset, status subresource).
var definition = kindregistry.Definition[*v1alpha1.HelmRelease, v1alpha1.HelmReleaseSpec, v1alpha1.HelmReleaseStatus]{
	Spec:         func(o *v1alpha1.HelmRelease) *v1alpha1.HelmReleaseSpec { return &o.Spec },
	Status:       func(o *v1alpha1.HelmRelease) *v1alpha1.HelmReleaseStatus { return &o.Status },
	ValidateSpec: validation.ValidateHelmReleaseSpec,
	Warnings:     validation.HelmReleaseWarnings,
}

// NewStrategy returns the create and update strategy of helmreleases, for
// checking objects that do not come through the REST API, such as files
// pushed to the storage repository.
func NewStrategy(typer runtime.ObjectTyper) rest.RESTCreateUpdateStrategy {
	return kindregistry.NewStrategy(typer, definition)
}

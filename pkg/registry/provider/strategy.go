// Package provider serves Provider objects: where notifications are sent.
package provider

import (
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/registry/rest"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/apis/gitops/validation"
	"gitops.io/apiserver/pkg/registry/kindregistry"
)

// definition tells the shared strategies where Provider keeps its spec and
// status and how it is validated; see kindregistry.Strategy for the rest
// (generation, status reset, status subresource).
var definition = kindregistry.Definition[*v1alpha1.Provider, v1alpha1.ProviderSpec, v1alpha1.ProviderStatus]{
	Spec:         func(o *v1alpha1.Provider) *v1alpha1.ProviderSpec { return &o.Spec },
	Status:       func(o *v1alpha1.Provider) *v1alpha1.ProviderStatus { return &o.Status },
	ValidateSpec: validation.ValidateProviderSpec,
	Warnings:     validation.ProviderWarnings,
}

// NewStrategy returns the create and update strategy of providers, for
// checking objects that do not come through the REST API, such as files
// pushed to the storage repository.
func NewStrategy(typer runtime.ObjectTyper) rest.RESTCreateUpdateStrategy {
	return kindregistry.NewStrategy(typer, definition)
}

package provider

import (
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/registry/generic"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/registry/kindregistry"
)

// resource names providers and says how kubectl prints them.
var resource = kindregistry.Resource[*v1alpha1.Provider]{
	Plural:   "providers",
	Singular: "provider",
	// Flux gives this kind no short name.
	ShortNames: nil,
	New:        func() *v1alpha1.Provider { return &v1alpha1.Provider{} },
	NewList:    func() runtime.Object { return &v1alpha1.ProviderList{} },
	Columns: []kindregistry.Column[*v1alpha1.Provider]{
		{Name: "Type", Type: "string", Description: "Service the notifications go to.",
			Value: func(o *v1alpha1.Provider) any { return string(o.Spec.Type) }},
	},
}

// NewREST returns the storage of providers and of their status.
func NewREST(scheme *runtime.Scheme, optsGetter generic.RESTOptionsGetter) (*kindregistry.REST, *kindregistry.StatusREST, error) {
	return kindregistry.NewREST(scheme, optsGetter, resource, definition)
}

package alert

import (
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/registry/generic"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/registry/kindregistry"
)

// resource names alerts and says how kubectl prints them.
var resource = kindregistry.Resource[*v1alpha1.Alert]{
	Plural:   "alerts",
	Singular: "alert",
	// Flux gives this kind no short name.
	ShortNames: nil,
	New:        func() *v1alpha1.Alert { return &v1alpha1.Alert{} },
	NewList:    func() runtime.Object { return &v1alpha1.AlertList{} },
	Columns: []kindregistry.Column[*v1alpha1.Alert]{
		{Name: "Provider", Type: "string", Description: "Provider the events go to.",
			Value: func(o *v1alpha1.Alert) any { return o.Spec.ProviderRef.Name }},
		{Name: "Severity", Type: "string", Priority: 1, Description: "Lowest severity forwarded.",
			Value: func(o *v1alpha1.Alert) any { return string(o.Spec.EventSeverity) }},
	},
}

// NewREST returns the storage of alerts and of their status.
func NewREST(scheme *runtime.Scheme, optsGetter generic.RESTOptionsGetter) (*kindregistry.REST, *kindregistry.StatusREST, error) {
	return kindregistry.NewREST(scheme, optsGetter, resource, definition)
}

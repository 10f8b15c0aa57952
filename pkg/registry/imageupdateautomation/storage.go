package imageupdateautomation

import (
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/registry/generic"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/registry/kindregistry"
)

// resource names imageupdateautomations and says how kubectl prints them.
var resource = kindregistry.Resource[*v1alpha1.ImageUpdateAutomation]{
	Plural:     "imageupdateautomations",
	Singular:   "imageupdateautomation",
	ShortNames: []string{"iua", "imgupd", "imgauto"},
	New:        func() *v1alpha1.ImageUpdateAutomation { return &v1alpha1.ImageUpdateAutomation{} },
	NewList:    func() runtime.Object { return &v1alpha1.ImageUpdateAutomationList{} },
	Columns: []kindregistry.Column[*v1alpha1.ImageUpdateAutomation]{
		{Name: "Last Run", Type: "string", Priority: 1, Description: "Time of the last completed run.",
			Value: func(o *v1alpha1.ImageUpdateAutomation) any {
				return kindregistry.Timestamp(o.Status.LastAutomationRunTime)
			}},
	},
}

// NewREST returns the storage of imageupdateautomations and of their status.
func NewREST(scheme *runtime.Scheme, optsGetter generic.RESTOptionsGetter) (*kindregistry.REST, *kindregistry.StatusREST, error) {
	return kindregistry.NewREST(scheme, optsGetter, resource, definition)
}

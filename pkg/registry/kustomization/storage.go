package kustomization

import (
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/registry/generic"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/registry/kindregistry"
)

// resource names kustomizations and says how kubectl prints them.
var resource = kindregistry.Resource[*v1alpha1.Kustomization]{
	Plural:     "kustomizations",
	Singular:   "kustomization",
	ShortNames: []string{"ks"},
	New:        func() *v1alpha1.Kustomization { return &v1alpha1.Kustomization{} },
	NewList:    func() runtime.Object { return &v1alpha1.KustomizationList{} },
	Columns: []kindregistry.Column[*v1alpha1.Kustomization]{
		{Name: "Revision", Type: "string", Description: "Source revision last applied.",
			Value: func(o *v1alpha1.Kustomization) any { return kindregistry.OrNone(o.Status.LastAppliedRevision) }},
		{Name: "Source", Type: "string", Priority: 1, Description: "Kind and name of the source.",
			Value: func(o *v1alpha1.Kustomization) any { return sourceName(o.Spec.SourceRef) }},
		{Name: "Path", Type: "string", Priority: 1, Description: "Path built in the source.",
			Value: func(o *v1alpha1.Kustomization) any { return kindregistry.OrNone(o.Spec.Path) }},
	},
}

// NewREST returns the storage of kustomizations and of their status.
func NewREST(scheme *runtime.Scheme, optsGetter generic.RESTOptionsGetter) (*kindregistry.REST, *kindregistry.StatusREST, error) {
	return kindregistry.NewREST(scheme, optsGetter, resource, definition)
}

// sourceName prints a source reference as Kind/name or Kind/namespace/name.
func sourceName(ref v1alpha1.CrossNamespaceSourceReference) string {
	if ref.Namespace == "" {
		return ref.Kind + "/" + ref.Name
	}
	return ref.Kind + "/" + ref.Namespace + "/" + ref.Name
}

package helmrepository

import (
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/registry/generic"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/registry/kindregistry"
)

// resource names helmrepositories and says how kubectl prints them.
var resource = kindregistry.Resource[*v1alpha1.HelmRepository]{
	Plural:     "helmrepositories",
	Singular:   "helmrepository",
	ShortNames: []string{"helmrepo"},
	New:        func() *v1alpha1.HelmRepository { return &v1alpha1.HelmRepository{} },
	NewList:    func() runtime.Object { return &v1alpha1.HelmRepositoryList{} },
	Columns: []kindregistry.Column[*v1alpha1.HelmRepository]{
		{Name: "URL", Type: "string", Description: "URL of the repository.",
			Value: func(o *v1alpha1.HelmRepository) any { return o.Spec.URL }},
		{Name: "Type", Type: "string", Priority: 1, Description: "Type of the repository: default or oci.",
			Value: func(o *v1alpha1.HelmRepository) any { return string(o.Spec.Type) }},
		{Name: "Revision", Type: "string", Priority: 1, Description: "Revision of the latest index.",
			Value: func(o *v1alpha1.HelmRepository) any { return kindregistry.ArtifactRevision(o.Status.Artifact) }},
	},
}

// NewREST returns the storage of helmrepositories and of their status.
func NewREST(scheme *runtime.Scheme, optsGetter generic.RESTOptionsGetter) (*kindregistry.REST, *kindregistry.StatusREST, error) {
	return kindregistry.NewREST(scheme, optsGetter, resource, definition)
}

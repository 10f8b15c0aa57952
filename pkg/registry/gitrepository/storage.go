package gitrepository

import (
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/registry/generic"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/registry/kindregistry"
)

// resource names gitrepositories and says how kubectl prints them.
var resource = kindregistry.Resource[*v1alpha1.GitRepository]{
	Plural:     "gitrepositories",
	Singular:   "gitrepository",
	ShortNames: []string{"gitrepo"},
	New:        func() *v1alpha1.GitRepository { return &v1alpha1.GitRepository{} },
	NewList:    func() runtime.Object { return &v1alpha1.GitRepositoryList{} },
	Columns: []kindregistry.Column[*v1alpha1.GitRepository]{
		{Name: "URL", Type: "string", Description: "URL of the repository.",
			Value: func(o *v1alpha1.GitRepository) any { return o.Spec.URL }},
		{Name: "Revision", Type: "string", Priority: 1, Description: "Revision of the latest artifact.",
			Value: func(o *v1alpha1.GitRepository) any { return kindregistry.ArtifactRevision(o.Status.Artifact) }},
	},
}

// NewREST returns the storage of gitrepositories and of their status.
func NewREST(scheme *runtime.Scheme, optsGetter generic.RESTOptionsGetter) (*kindregistry.REST, *kindregistry.StatusREST, error) {
	return kindregistry.NewREST(scheme, optsGetter, resource, definition)
}

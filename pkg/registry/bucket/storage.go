package bucket

import (
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/registry/generic"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/registry/kindregistry"
)

// resource names buckets and says how kubectl prints them.
var resource = kindregistry.Resource[*v1alpha1.Bucket]{
	Plural:   "buckets",
	Singular: "bucket",
	// Flux gives this kind no short name.
	ShortNames: nil,
	New:        func() *v1alpha1.Bucket { return &v1alpha1.Bucket{} },
	NewList:    func() runtime.Object { return &v1alpha1.BucketList{} },
	Columns: []kindregistry.Column[*v1alpha1.Bucket]{
		{Name: "Endpoint", Type: "string", Description: "Address of the object storage.",
			Value: func(o *v1alpha1.Bucket) any { return o.Spec.Endpoint }},
		{Name: "Bucket", Type: "string", Priority: 1, Description: "Name of the bucket.",
			Value: func(o *v1alpha1.Bucket) any { return o.Spec.BucketName }},
		{Name: "Revision", Type: "string", Priority: 1, Description: "Revision of the latest artifact.",
			Value: func(o *v1alpha1.Bucket) any { return kindregistry.ArtifactRevision(o.Status.Artifact) }},
	},
}

// NewREST returns the storage of buckets and of their status.
func NewREST(scheme *runtime.Scheme, optsGetter generic.RESTOptionsGetter) (*kindregistry.REST, *kindregistry.StatusREST, error) {
	return kindregistry.NewREST(scheme, optsGetter, resource, definition)
}

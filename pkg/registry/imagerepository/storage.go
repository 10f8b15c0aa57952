package imagerepository

import (
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/registry/generic"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/registry/kindregistry"
)

// resource names imagerepositories and says how kubectl prints them.
var resource = kindregistry.Resource[*v1alpha1.ImageRepository]{
	Plural:     "imagerepositories",
	Singular:   "imagerepository",
	ShortNames: []string{"imgrepo", "imagerepo"},
	New:        func() *v1alpha1.ImageRepository { return &v1alpha1.ImageRepository{} },
	NewList:    func() runtime.Object { return &v1alpha1.ImageRepositoryList{} },
	Columns: []kindregistry.Column[*v1alpha1.ImageRepository]{
		{Name: "Image", Type: "string", Description: "Image repository scanned.",
			Value: func(o *v1alpha1.ImageRepository) any { return o.Spec.Image }},
		{Name: "Tags", Type: "integer", Description: "Number of tags found by the last scan.",
			Value: func(o *v1alpha1.ImageRepository) any { return tagCount(o) }},
		{Name: "Last Scan", Type: "string", Priority: 1, Description: "Time of the last scan.",
			Value: func(o *v1alpha1.ImageRepository) any { return lastScan(o) }},
	},
}

// NewREST returns the storage of imagerepositories and of their status.
func NewREST(scheme *runtime.Scheme, optsGetter generic.RESTOptionsGetter) (*kindregistry.REST, *kindregistry.StatusREST, error) {
	return kindregistry.NewREST(scheme, optsGetter, resource, definition)
}

// tagCount and lastScan are empty until the first scan.
func tagCount(o *v1alpha1.ImageRepository) any {
	if o.Status.LastScanResult == nil {
		return nil
	}
	return int64(o.Status.LastScanResult.TagCount)
}

func lastScan(o *v1alpha1.ImageRepository) any {
	if o.Status.LastScanResult == nil {
		return nil
	}
	return kindregistry.Timestamp(&o.Status.LastScanResult.ScanTime)
}

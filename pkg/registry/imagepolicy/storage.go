package imagepolicy

import (
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/registry/generic"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/registry/kindregistry"
)

// resource names imagepolicies and says how kubectl prints them.
var resource = kindregistry.Resource[*v1alpha1.ImagePolicy]{
	Plural:     "imagepolicies",
	Singular:   "imagepolicy",
	ShortNames: []string{"imgpol", "imagepol"},
	New:        func() *v1alpha1.ImagePolicy { return &v1alpha1.ImagePolicy{} },
	NewList:    func() runtime.Object { return &v1alpha1.ImagePolicyList{} },
	Columns: []kindregistry.Column[*v1alpha1.ImagePolicy]{
		{Name: "Image", Type: "string", Description: "Image the policy picked.",
			Value: func(o *v1alpha1.ImagePolicy) any { return latestImage(o) }},
		{Name: "Tag", Type: "string", Description: "Tag the policy picked.",
			Value: func(o *v1alpha1.ImagePolicy) any { return latestTag(o) }},
	},
}

// NewREST returns the storage of imagepolicies and of their status.
func NewREST(scheme *runtime.Scheme, optsGetter generic.RESTOptionsGetter) (*kindregistry.REST, *kindregistry.StatusREST, error) {
	return kindregistry.NewREST(scheme, optsGetter, resource, definition)
}

// latestImage and latestTag are empty until the policy picked an image.
func latestImage(o *v1alpha1.ImagePolicy) any {
	if o.Status.LatestRef == nil {
		return nil
	}
	return o.Status.LatestRef.Name
}

func latestTag(o *v1alpha1.ImagePolicy) any {
	if o.Status.LatestRef == nil {
		return nil
	}
	return o.Status.LatestRef.Tag
}

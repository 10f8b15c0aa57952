// Package bucket serves Bucket objects: sources that fetch an object-storage bucket.
package bucket

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/apis/gitops/validation"
	"gitops.io/apiserver/pkg/registry/kindregistry"
)

// definition tells the shared strategies where Bucket keeps its spec and
// status and how it is validated; see kindregistry.Strategy for the rest
// (generation, status reset, status subresource).
var definition = kindregistry.Definition[*v1alpha1.Bucket, v1alpha1.BucketSpec, v1alpha1.BucketStatus]{
	Spec:           func(o *v1alpha1.Bucket) *v1alpha1.BucketSpec { return &o.Spec },
	Status:         func(o *v1alpha1.Bucket) *v1alpha1.BucketStatus { return &o.Status },
	Validate:       validation.ValidateBucket,
	ValidateUpdate: validation.ValidateBucketUpdate,
}

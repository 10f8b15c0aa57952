package bucket

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// This file is the one place that sets conditions.

// summarize sets every condition from the outcome of the steps: err is nil
// or what the first failing step returned.
func summarize(obj *v1alpha1.Bucket, err error) {
	source.Summarize(obj, err, v1alpha1.BucketOperationFailedReason)
}

package bucket

import (
	"net"
	"strings"

	"github.com/minio/minio-go/v7/pkg/s3utils"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// checkLocation checks spec.endpoint and spec.bucketName. What cannot work
// stalls the object: no retry fixes it, only an edit.
func checkLocation(obj *v1alpha1.Bucket) error {
	if err := checkEndpoint(obj.Spec.Endpoint); err != nil {
		return err
	}
	if err := s3utils.CheckValidBucketName(obj.Spec.BucketName); err != nil {
		return source.Stalled(v1alpha1.URLInvalidReason, "spec.bucketName '%s': %v", obj.Spec.BucketName, err)
	}
	return nil
}

// checkEndpoint checks spec.endpoint, which is host[:port] as in Flux: the
// scheme comes from spec.insecure.
func checkEndpoint(endpoint string) error {
	if scheme, _, found := strings.Cut(endpoint, "://"); found {
		return source.Stalled(v1alpha1.URLInvalidReason,
			"spec.endpoint '%s' must be host[:port] without the scheme '%s://' (spec.insecure chooses plain HTTP)",
			endpoint, scheme)
	}
	host := endpoint
	if h, port, err := net.SplitHostPort(endpoint); err == nil {
		if port == "" {
			return source.Stalled(v1alpha1.URLInvalidReason, "spec.endpoint '%s' has an empty port", endpoint)
		}
		host = h
	}
	if host == "" || strings.ContainsAny(host, "/?#@ ") {
		return source.Stalled(v1alpha1.URLInvalidReason, "spec.endpoint '%s' is not host[:port]", endpoint)
	}
	return nil
}

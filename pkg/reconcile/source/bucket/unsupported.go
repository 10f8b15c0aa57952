package bucket

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// checkSupported stalls objects that ask for what is not implemented: the
// cloud providers (their APIs and workload identity are out of reach of
// this server) and security token services.
func checkSupported(obj *v1alpha1.Bucket) error {
	spec := obj.Spec
	switch {
	case spec.Provider != "" && spec.Provider != v1alpha1.CloudProviderGeneric:
		return source.Stalled(v1alpha1.NotSupportedReason,
			"spec.provider %s is not supported: only generic (S3 compatible) buckets can be read", spec.Provider)
	case spec.STS != nil:
		return source.Stalled(v1alpha1.NotSupportedReason, "spec.sts is not supported yet; use spec.secretRef")
	case spec.ServiceAccountName != "":
		return source.Stalled(v1alpha1.NotSupportedReason, "spec.serviceAccountName is not supported yet; use spec.secretRef")
	}
	return nil
}

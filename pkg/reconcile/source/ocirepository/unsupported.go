package ocirepository

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// notSupportedReason marks spec fields this reconciler does not implement
// yet. Ignoring them would be worse: an artifact pulled unverified, or with
// credentials other than the ones asked for, without anyone knowing.
const notSupportedReason = "NotSupported"

// checkSupported stalls objects that ask for what is not implemented: the
// cloud providers' workload identity and signature verification.
func checkSupported(obj *v1alpha1.OCIRepository) error {
	spec := obj.Spec
	switch {
	case spec.Provider != "" && spec.Provider != v1alpha1.CloudProviderGeneric:
		return stalledError(notSupportedReason, "spec.provider %s is not supported yet", spec.Provider)
	case spec.Verify != nil:
		return stalledError(notSupportedReason, "spec.verify is not supported yet")
	}
	return nil
}

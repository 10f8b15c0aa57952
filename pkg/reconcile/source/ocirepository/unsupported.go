package ocirepository

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// checkSupported stalls objects that ask for what is not implemented: the
// cloud providers' workload identity, notation signatures and keyless
// cosign signatures.
func checkSupported(obj *v1alpha1.OCIRepository) error {
	spec := obj.Spec
	switch {
	case spec.Provider != "" && spec.Provider != v1alpha1.CloudProviderGeneric:
		return source.Stalled(v1alpha1.NotSupportedReason, "spec.provider %s is not supported yet", spec.Provider)
	case spec.Verify != nil && spec.Verify.Provider != v1alpha1.VerificationProviderCosign:
		return source.Stalled(v1alpha1.NotSupportedReason, "spec.verify.provider %s is not supported yet", spec.Verify.Provider)
	case spec.Verify != nil && (spec.Verify.SecretRef == nil || len(spec.Verify.MatchOIDCIdentity) > 0):
		return source.Stalled(v1alpha1.NotSupportedReason, "keyless cosign verification is not supported yet; give spec.verify.secretRef public keys")
	}
	return nil
}

package gitrepository

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// notSupportedReason marks spec fields this reconciler does not implement
// yet. Ignoring them would be worse: an artifact fetched around a proxy, or
// with credentials other than the ones asked for, without anyone knowing.
const notSupportedReason = "NotSupported"

// checkSupported stalls objects that ask for what is not implemented.
func checkSupported(obj *v1alpha1.GitRepository) error {
	spec := obj.Spec
	var field string
	switch {
	case spec.ProxySecretRef != nil:
		field = "spec.proxySecretRef"
	case spec.Provider != "" && spec.Provider != v1alpha1.GitProviderGeneric:
		field = "spec.provider " + spec.Provider
	default:
		return nil
	}
	return stalledError(notSupportedReason, "%s is not supported yet", field)
}

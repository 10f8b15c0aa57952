package gitrepository

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// checkSupported stalls objects that ask for what is not implemented: the
// cloud providers' workload identity.
func checkSupported(obj *v1alpha1.GitRepository) error {
	if p := obj.Spec.Provider; p != "" && p != v1alpha1.GitProviderGeneric {
		return source.Stalled(v1alpha1.NotSupportedReason, "spec.provider %s is not supported yet", p)
	}
	return nil
}

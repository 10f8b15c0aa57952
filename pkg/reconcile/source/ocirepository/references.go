package ocirepository

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/referrers"
)

// References are the Secrets an OCIRepository reads: a change to one
// reconciles it.
func References(obj *v1alpha1.OCIRepository) []referrers.Ref {
	names := []string{referrers.NameOf(obj.Spec.SecretRef), referrers.NameOf(obj.Spec.CertSecretRef),
		referrers.NameOf(obj.Spec.ProxySecretRef)}
	if v := obj.Spec.Verify; v != nil {
		names = append(names, referrers.NameOf(v.SecretRef), referrers.NameOf(v.TrustedRootSecretRef))
	}
	return referrers.Secrets(obj.Namespace, names...)
}

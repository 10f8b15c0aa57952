package gitrepository

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/referrers"
)

// References are the Secrets a GitRepository reads: a change to one
// reconciles it.
func References(obj *v1alpha1.GitRepository) []referrers.Ref {
	names := []string{referrers.NameOf(obj.Spec.SecretRef), referrers.NameOf(obj.Spec.ProxySecretRef)}
	if v := obj.Spec.Verification; v != nil {
		names = append(names, v.SecretRef.Name)
	}
	return referrers.Secrets(obj.Namespace, names...)
}

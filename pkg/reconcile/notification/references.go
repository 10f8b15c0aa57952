package notification

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/referrers"
)

// References are the Secrets a Provider reads: a change to one
// reconciles it and refreshes its sender (Controllers.WakeProvider).
func References(obj *v1alpha1.Provider) []referrers.Ref {
	return referrers.Secrets(obj.Namespace, referrers.NameOf(obj.Spec.SecretRef),
		referrers.NameOf(obj.Spec.CertSecretRef), referrers.NameOf(obj.Spec.ProxySecretRef))
}

package helmrelease

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/referrers"
)

// References are the Secrets and ConfigMaps a HelmRelease reads (its
// kubeconfig and spec.valuesFrom): a change to one reconciles it, and a
// values change upgrades the release.
func References(obj *v1alpha1.HelmRelease) []referrers.Ref {
	var secrets, configMaps []string
	if kc := obj.Spec.KubeConfig; kc != nil {
		if kc.SecretRef != nil {
			secrets = append(secrets, kc.SecretRef.Name)
		}
		configMaps = append(configMaps, referrers.NameOf(kc.ConfigMapRef))
	}
	for _, ref := range obj.Spec.ValuesFrom {
		if ref.Kind == v1alpha1.ValuesKindSecret {
			secrets = append(secrets, ref.Name)
		} else {
			configMaps = append(configMaps, ref.Name)
		}
	}
	return append(referrers.Secrets(obj.Namespace, secrets...), referrers.ConfigMaps(obj.Namespace, configMaps...)...)
}

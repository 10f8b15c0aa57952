package kustomize

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/referrers"
)

// References are the Secrets and ConfigMaps a Kustomization reads (its
// kubeconfig, decryption keys and postBuild.substituteFrom): a change to
// one reconciles it.
func References(obj *v1alpha1.Kustomization) []referrers.Ref {
	var secrets, configMaps []string
	if kc := obj.Spec.KubeConfig; kc != nil {
		if kc.SecretRef != nil {
			secrets = append(secrets, kc.SecretRef.Name)
		}
		configMaps = append(configMaps, referrers.NameOf(kc.ConfigMapRef))
	}
	if d := obj.Spec.Decryption; d != nil {
		secrets = append(secrets, referrers.NameOf(d.SecretRef))
	}
	if pb := obj.Spec.PostBuild; pb != nil {
		for _, ref := range pb.SubstituteFrom {
			if ref.Kind == referrers.Secret {
				secrets = append(secrets, ref.Name)
			} else {
				configMaps = append(configMaps, ref.Name)
			}
		}
	}
	return append(referrers.Secrets(obj.Namespace, secrets...), referrers.ConfigMaps(obj.Namespace, configMaps...)...)
}

package validation

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// Warnings name fields that are accepted, for compatibility with Flux
// manifests, but deprecated or without effect. The API server returns them
// to the client (kubectl prints them) without rejecting the request.

// HelmReleaseWarnings warns about deprecated HelmRelease fields.
func HelmReleaseWarnings(obj *v1alpha1.HelmRelease) []string {
	var warnings []string
	if obj.Spec.Install != nil && obj.Spec.Install.SkipCRDs {
		warnings = append(warnings, "spec.install.skipCRDs: deprecated, use spec.install.crds: Skip")
	}
	if obj.Spec.Rollback != nil && obj.Spec.Rollback.Recreate {
		warnings = append(warnings, "spec.rollback.recreate: deprecated and without effect since Helm 4")
	}
	return warnings
}

// ProviderWarnings warns about deprecated Provider fields.
func ProviderWarnings(obj *v1alpha1.Provider) []string {
	var warnings []string
	if obj.Spec.Interval != nil {
		warnings = append(warnings, "spec.interval: deprecated and ignored")
	}
	if obj.Spec.Proxy != "" {
		warnings = append(warnings, "spec.proxy: deprecated, use spec.proxySecretRef")
	}
	return warnings
}

// AlertWarnings warns about deprecated Alert fields.
func AlertWarnings(obj *v1alpha1.Alert) []string {
	if obj.Spec.Summary != "" {
		return []string{"spec.summary: deprecated, use spec.eventMetadata"}
	}
	return nil
}

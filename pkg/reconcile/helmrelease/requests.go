package helmrelease

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// takeRequest reports whether obj carries a one-off request (Flux's
// forceAt or resetAt) not yet handled, and records it as handled in
// *lastHandled either way. As in Flux, the request counts only when its
// token is also the reconcile request's, as `flux reconcile hr --force`
// sets them, so that an old token left on the object never acts again.
func takeRequest(obj *v1alpha1.HelmRelease, annotation string, lastHandled *string) bool {
	token := obj.Annotations[annotation]
	if token == "" || token == *lastHandled {
		return false
	}
	*lastHandled = token
	return token == obj.Annotations[v1alpha1.ReconcileRequestAnnotation] ||
		token == obj.Annotations[v1alpha1.GitOpsReconcileRequestAnnotation]
}

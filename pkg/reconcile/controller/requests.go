package controller

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// requestAnnotations are read in this order: the group's own spelling first.
var requestAnnotations = []string{
	v1alpha1.GitOpsReconcileRequestAnnotation,
	v1alpha1.ReconcileRequestAnnotation,
}

// ReconcileRequest returns the token of a reconcile request not yet handled
// (an annotation whose value differs from lastHandled) and true, or
// lastHandled and false when every request has been handled.
func ReconcileRequest(obj metav1.Object, lastHandled string) (string, bool) {
	annotations := obj.GetAnnotations()
	for _, key := range requestAnnotations {
		if token := annotations[key]; token != "" && token != lastHandled {
			return token, true
		}
	}
	return lastHandled, false
}

// RequestTokens returns the values of the request annotations, to tell
// whether an update of an object asked for a reconciliation.
func RequestTokens(obj metav1.Object) [2]string {
	annotations := obj.GetAnnotations()
	return [2]string{annotations[requestAnnotations[0]], annotations[requestAnnotations[1]]}
}

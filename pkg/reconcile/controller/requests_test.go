package controller

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestReconcileRequestIsPendingUntilHandled(t *testing.T) {
	for _, tc := range []struct {
		name        string
		annotations map[string]string
		lastHandled string
		wantToken   string
		wantPending bool
	}{
		{"no annotation", nil, "", "", false},
		{"flux annotation", map[string]string{"reconcile.fluxcd.io/requestedAt": "t1"}, "", "t1", true},
		{"gitops annotation", map[string]string{"gitops.io/requestedAt": "t2"}, "t1", "t2", true},
		{"already handled", map[string]string{"reconcile.fluxcd.io/requestedAt": "t1"}, "t1", "t1", false},
		{"newer flux request after handled gitops one", map[string]string{
			"gitops.io/requestedAt": "t1", "reconcile.fluxcd.io/requestedAt": "t3"}, "t1", "t3", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			obj := &metav1.ObjectMeta{Annotations: tc.annotations}
			token, pending := ReconcileRequest(obj, tc.lastHandled)
			if token != tc.wantToken || pending != tc.wantPending {
				t.Errorf("ReconcileRequest = %q, %v; want %q, %v", token, pending, tc.wantToken, tc.wantPending)
			}
		})
	}
}

package conditions

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

func TestNewWorkTellsNewGenerationsFromRetries(t *testing.T) {
	var conds []metav1.Condition
	if why := NewWork(conds, 1, 0, false); why != "" {
		t.Errorf("a new object without status: %q, want no marking", why)
	}
	if why := NewWork(conds, 1, 0, true); why != "reconciling on request" {
		t.Errorf("a request: %q", why)
	}
	Set(&conds, 1, v1alpha1.ReadyCondition, metav1.ConditionTrue, v1alpha1.SucceededReason, "done")
	if why := NewWork(conds, 2, 1, false); why != "reconciling new object generation (2)" {
		t.Errorf("a new generation: %q", why)
	}
	Set(&conds, 2, v1alpha1.ReconcilingCondition, metav1.ConditionTrue, v1alpha1.ProgressingWithRetryReason, "retrying")
	if !Retrying(conds, 2) || NewWork(conds, 2, 1, false) != "" {
		t.Error("a retry of generation 2 is marked again")
	}
	MarkReconciling(&conds, 3, "why")
	if Retrying(conds, 3) {
		t.Error("new work counts as a retry")
	}
}

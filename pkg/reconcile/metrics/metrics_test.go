package metrics

import (
	"errors"
	"strings"
	"testing"
	"time"

	"k8s.io/component-base/metrics/legacyregistry"
	"k8s.io/component-base/metrics/testutil"
)

func TestReconcileDurationIsServedUnderFluxName(t *testing.T) {
	Register()
	ObserveReconcile("GitRepository", "ns", "app", 30*time.Millisecond, nil)
	ObserveReconcile("GitRepository", "ns", "app", time.Second, errors.New("unreachable"))
	want := `
# HELP gitops_reconcile_total [ALPHA] Reconciliations by kind and result (success or failure).
# TYPE gitops_reconcile_total counter
gitops_reconcile_total{kind="GitRepository",result="failure"} 1
gitops_reconcile_total{kind="GitRepository",result="success"} 1
`
	if err := testutil.GatherAndCompare(legacyregistry.DefaultGatherer, strings.NewReader(want), "gitops_reconcile_total"); err != nil {
		t.Error(err)
	}
	families, err := legacyregistry.DefaultGatherer.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() == "gotk_reconcile_duration_seconds" {
			if n := f.GetMetric()[0].GetHistogram().GetSampleCount(); n != 2 {
				t.Errorf("%d durations observed, want 2", n)
			}
			Forget("GitRepository", "ns", "app")
			return
		}
	}
	t.Error("gotk_reconcile_duration_seconds is not registered")
}

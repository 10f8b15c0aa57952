package controller

import (
	"context"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

func TestChangedIgnoresStatusOnlyUpdates(t *testing.T) {
	base := &v1alpha1.GitRepository{ObjectMeta: metav1.ObjectMeta{Generation: 1}}
	statusOnly := base.DeepCopy()
	statusOnly.Status.ObservedGeneration = 1
	newSpec := base.DeepCopy()
	newSpec.Generation = 2
	requested := base.DeepCopy()
	requested.Annotations = map[string]string{v1alpha1.ReconcileRequestAnnotation: "now"}
	deleting := base.DeepCopy()
	deleting.DeletionTimestamp = &metav1.Time{Time: time.Now()}
	for _, tc := range []struct {
		name  string
		after *v1alpha1.GitRepository
		want  bool
	}{
		{"status only", statusOnly, false},
		{"new generation", newSpec, true},
		{"reconcile request", requested, true},
		{"deletion started", deleting, true},
	} {
		if got := Changed(base, tc.after); got != tc.want {
			t.Errorf("%s: Changed = %v, want %v", tc.name, got, tc.want)
		}
	}
}

type panickingReconciler struct{}

func (panickingReconciler) Reconcile(context.Context, *v1alpha1.GitRepository) (time.Duration, error) {
	panic("boom")
}

func TestPanicIsAnError(t *testing.T) {
	c := &Controller[*v1alpha1.GitRepository]{config: Config[*v1alpha1.GitRepository]{Reconciler: panickingReconciler{}}}
	_, err := c.reconcile(t.Context(), &v1alpha1.GitRepository{})
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("reconcile = %v, want an error naming the panic", err)
	}
}

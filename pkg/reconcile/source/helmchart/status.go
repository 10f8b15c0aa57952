package helmchart

import (
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/conditions"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// This file is the one place that sets conditions.

// summarize sets every condition from the outcome of the steps: err is nil
// or what the first failing step returned. A Ready chart says, as in Flux,
// whether it was pulled or packaged.
func summarize(obj *v1alpha1.HelmChart, err error) {
	source.Summarize(obj, err, v1alpha1.ChartPullFailedReason, buildFailed)
	if err == nil {
		reason, message := builtMessage(obj)
		conditions.Set(&obj.Status.Conditions, obj.Generation, v1alpha1.ReadyCondition, metav1.ConditionTrue, reason, message)
	}
}

// builtMessage is Flux's reason and message for the stored chart: pulled
// from a Helm repository, packaged from another source.
func builtMessage(obj *v1alpha1.HelmChart) (reason, message string) {
	a := obj.Status.Artifact
	if obj.Spec.SourceRef.Kind == v1alpha1.HelmRepositoryKind {
		return v1alpha1.ChartPullSucceededReason, fmt.Sprintf("pulled '%s' chart with version '%s'", obj.Status.ObservedChartName, a.Revision)
	}
	return v1alpha1.ChartPackageSucceededReason, fmt.Sprintf("packaged '%s' chart with version '%s'", obj.Status.ObservedChartName, a.Revision)
}

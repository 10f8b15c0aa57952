package helmrelease

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/identity"
	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/pkg/reconcile/sourceref"
)

// helmChartName is the HelmChart made from obj's spec.chart, as Flux names
// it: '<namespace>-<name>', in the namespace of the chart's source.
func helmChartName(obj *v1alpha1.HelmRelease) (namespace, name string) {
	namespace = obj.Spec.Chart.Spec.SourceRef.Namespace
	if namespace == "" {
		namespace = obj.Namespace
	}
	return namespace, obj.Namespace + "-" + obj.Name
}

// ensureHelmChart creates or updates the HelmChart of spec.chart through
// the API, records it in status.helmChart and returns it as the chart's
// source. One in another namespace is made only when as may read the
// artifact of the chart's source there.
func (r *Reconciler) ensureHelmChart(ctx context.Context, obj *v1alpha1.HelmRelease, as identity.Identity) (sourceref.Ref, error) {
	namespace, name := helmChartName(obj)
	ref := sourceref.Ref{Kind: v1alpha1.HelmChartKind, Namespace: namespace, Name: name}
	if namespace != obj.Namespace {
		const field = "spec.chart.spec.sourceRef"
		if r.NoCrossNamespaceRefs {
			return ref, outcome.Stalled(v1alpha1.ArtifactFailedReason,
				"%s: cannot refer to namespace %s: cross-namespace references are not allowed on this server", field, namespace)
		}
		source := obj.Spec.Chart.Spec.SourceRef
		if err := r.Identities.CheckSource(ctx, field, as, source.Kind, namespace, source.Name); err != nil {
			return ref, err
		}
	}
	// A source moved to another namespace leaves its old HelmChart behind.
	if obj.Status.HelmChart != "" && obj.Status.HelmChart != namespace+"/"+name {
		if err := r.deleteHelmChart(ctx, obj); err != nil {
			return ref, outcome.Failed(v1alpha1.ArtifactFailedReason, "%v", err)
		}
	}
	want := helmChartOf(obj, namespace, name)
	// Owned as the HelmRelease is, not by the server that writes it.
	want.Status.Owner = obj.Status.Owner
	charts := r.Client.HelmCharts(namespace)
	have, err := charts.Get(ctx, name, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		_, err = charts.Create(ctx, want, metav1.CreateOptions{})
	case err == nil && (!reflect.DeepEqual(have.Spec, want.Spec) || !hasAll(have.Labels, want.Labels) || !hasAll(have.Annotations, want.Annotations)):
		have.Spec = want.Spec
		have.Labels = merged(have.Labels, want.Labels)
		have.Annotations = merged(have.Annotations, want.Annotations)
		have.OwnerReferences = want.OwnerReferences
		_, err = charts.Update(ctx, have, metav1.UpdateOptions{})
	}
	if err != nil {
		return ref, outcome.Failed(v1alpha1.ArtifactFailedReason, "writing HelmChart '%s/%s': %v", namespace, name, err)
	}
	obj.Status.HelmChart = namespace + "/" + name
	return ref, nil
}

// helmChartOf is the HelmChart spec.chart describes, labelled as obj's and
// owned by it when in its namespace (an owner in another namespace is not
// allowed).
func helmChartOf(obj *v1alpha1.HelmRelease, namespace, name string) *v1alpha1.HelmChart {
	template := obj.Spec.Chart
	labels := map[string]string{nameLabel: obj.Name, namespaceLabel: obj.Namespace}
	var annotations map[string]string
	if m := template.ObjectMeta; m != nil {
		labels = merged(m.Labels, labels)
		annotations = maps.Clone(m.Annotations)
	}
	version := template.Spec.Version
	if version == "" {
		version = "*"
	}
	interval := obj.Spec.Interval
	if template.Spec.Interval != nil {
		interval = *template.Spec.Interval
	}
	chart := &v1alpha1.HelmChart{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name, Labels: labels, Annotations: annotations},
		Spec: v1alpha1.HelmChartSpec{
			Chart:   template.Spec.Chart,
			Version: version,
			SourceRef: v1alpha1.LocalHelmChartSourceReference{
				Kind: template.Spec.SourceRef.Kind, Name: template.Spec.SourceRef.Name,
			},
			Interval:                 interval,
			ReconcileStrategy:        template.Spec.ReconcileStrategy,
			ValuesFiles:              template.Spec.ValuesFiles,
			IgnoreMissingValuesFiles: template.Spec.IgnoreMissingValuesFiles,
			Verify:                   template.Spec.Verify,
		},
	}
	if namespace == obj.Namespace && obj.UID != "" {
		chart.OwnerReferences = []metav1.OwnerReference{{APIVersion: v1alpha1.SchemeGroupVersion.String(),
			Kind: kind, Name: obj.Name, UID: obj.UID}}
	}
	return chart
}

// deleteHelmChart deletes the HelmChart status.helmChart names, if any.
func (r *Reconciler) deleteHelmChart(ctx context.Context, obj *v1alpha1.HelmRelease) error {
	namespace, name, ok := strings.Cut(obj.Status.HelmChart, "/")
	if !ok {
		return nil
	}
	err := r.Client.HelmCharts(namespace).Delete(ctx, name, metav1.DeleteOptions{})
	if err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("deleting HelmChart '%s/%s': %w", namespace, name, err)
	}
	return nil
}

func hasAll(have, want map[string]string) bool {
	for k, v := range want {
		if have[k] != v {
			return false
		}
	}
	return true
}

// merged is base with over's entries over it, a new map.
func merged(base, over map[string]string) map[string]string {
	out := maps.Clone(base)
	if out == nil {
		out = map[string]string{}
	}
	maps.Copy(out, over)
	return out
}

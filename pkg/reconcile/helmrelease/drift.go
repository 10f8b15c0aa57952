package helmrelease

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/fluxcd/pkg/ssa"
	"github.com/fluxcd/pkg/ssa/jsondiff"
	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/kube"
	release "helm.sh/helm/v4/pkg/release/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/pkg/reconcile/target"
)

// Drift detection compares the objects of a release's manifest with the
// cluster by a server-side apply dry-run, as Flux's helm-controller does:
// an object whose dry-run differs from what the cluster holds has changed,
// one the cluster lacks was deleted. It runs when the release is otherwise
// in sync, and turns that state into stateDrifted.

// driftDetectionKey is the label or annotation, with the value "disabled",
// that leaves an object of a release out of drift detection and correction,
// as Flux spells it.
const driftDetectionKey = ownerGroup + "/driftDetection"

// Helm's marks of a release's objects, which it sets as it applies them:
// the manifest lacks them.
const (
	helmManagedByLabel             = "app.kubernetes.io/managed-by"
	helmReleaseNameAnnotation      = "meta.helm.sh/release-name"
	helmReleaseNamespaceAnnotation = "meta.helm.sh/release-namespace"
)

// drift is what drift detection found: the release's objects that changed
// or were deleted, and the resource manager that found them, acting as the
// HelmRelease does.
type drift struct {
	manager *ssa.ResourceManager
	rules   []jsondiff.IgnoreRule
	changed []*unstructured.Unstructured
	deleted []*unstructured.Unstructured
}

// objects are the drifted objects, as the release's manifest has them.
func (d *drift) objects() []*unstructured.Unstructured {
	return append(append([]*unstructured.Unstructured{}, d.changed...), d.deleted...)
}

// summary says which objects drifted, one "Kind/namespace/name changed" or
// "... deleted" line each. It names objects only: a Secret's data never
// reaches an Event or a log.
func (d *drift) summary() string {
	var lines []string
	for _, o := range d.changed {
		lines = append(lines, objectName(o)+" changed")
	}
	for _, o := range d.deleted {
		lines = append(lines, objectName(o)+" deleted")
	}
	return strings.Join(lines, "\n")
}

func objectName(o *unstructured.Unstructured) string {
	if o.GetNamespace() == "" {
		return o.GetKind() + "/" + o.GetName()
	}
	return o.GetKind() + "/" + o.GetNamespace() + "/" + o.GetName()
}

func driftMode(obj *v1alpha1.HelmRelease) v1alpha1.DriftDetectionMode {
	if d := obj.Spec.DriftDetection; d != nil && d.Mode != "" {
		return d.Mode
	}
	return v1alpha1.DriftDetectionDisabled
}

// detectDrift turns an in-sync release whose objects drifted into
// stateDrifted, recording Drifted and a Warning Event naming them. It looks
// only when spec.driftDetection asks, and not before a forced upgrade,
// which applies the release anyway.
func (r *Reconciler) detectDrift(ctx context.Context, obj *v1alpha1.HelmRelease, run *run) error {
	run.drift = nil
	if driftMode(obj) == v1alpha1.DriftDetectionDisabled {
		forgetDrift(obj)
		return nil
	}
	if run.state != stateInSync || run.force {
		return nil
	}
	found, err := r.driftOf(ctx, obj, run)
	if err != nil {
		return err
	}
	if len(found.changed)+len(found.deleted) == 0 {
		markNoDrift(obj)
		return nil
	}
	run.state, run.drift = stateDrifted, found
	message := fmt.Sprintf("Cluster state of release %s has drifted from the desired state:\n%s", releaseFullName(run.current), found.summary())
	markDrifted(obj, message)
	r.record(obj, run, corev1.EventTypeWarning, v1alpha1.DriftDetectedReason, message)
	klog.FromContext(ctx).Info("Cluster state of a release drifted", "helmrelease", klog.KObj(obj),
		"release", releaseFullName(run.current), "mode", driftMode(obj), "objects", found.summary())
	return nil
}

// driftOf dry-runs the objects of the current release as the HelmRelease
// acts, with Helm's field manager, and lists those that drifted. An object
// whose dry-run fails is reported when nothing drifted, so that a broken
// detection never passes for a release in sync.
func (r *Reconciler) driftOf(ctx context.Context, obj *v1alpha1.HelmRelease, run *run) (*drift, error) {
	failed := func(err error) error {
		return outcome.Failed(v1alpha1.ReconciliationFailedReason, "detecting drift of release %s: %v", releaseFullName(run.current), err)
	}
	rules, err := driftIgnoreRules(obj)
	if err != nil {
		return nil, outcome.Stalled(v1alpha1.ReconciliationFailedReason, "spec.driftDetection.ignore: %v", err)
	}
	objects, err := releaseObjects(run.helm, run.current)
	if err != nil {
		return nil, failed(err)
	}
	manager, err := run.manager.get(ctx)
	if err != nil {
		return nil, failed(err)
	}
	if err := r.takeOverFields(ctx, manager, objects); err != nil {
		return nil, failed(err)
	}
	found := &drift{manager: manager, rules: rules}
	opts := ssa.DiffOptions{Exclusions: driftExclusions(), DriftIgnoreRules: rules}
	var errs []error
	for _, o := range objects {
		entry, _, _, err := manager.Diff(ctx, o, opts)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		switch entry.Action {
		case ssa.CreatedAction:
			found.deleted = append(found.deleted, o)
		case ssa.ConfiguredAction:
			found.changed = append(found.changed, o)
		}
	}
	if err := errors.Join(errs...); err != nil {
		if len(found.changed)+len(found.deleted) == 0 {
			return nil, failed(err)
		}
		klog.FromContext(ctx).Error(err, "Detecting drift of some objects of a release", "helmrelease", klog.KObj(obj))
	}
	return found, nil
}

// correctDriftAction applies the drifted objects of the release again, as
// Flux's "correct cluster drift" does: no new revision, no hooks.
func (r *Reconciler) correctDriftAction(obj *v1alpha1.HelmRelease) helmAction {
	return helmAction{name: "correct cluster drift", kind: driftKind, timeout: timeoutOf(obj), do: r.correctDrift}
}

// correctDrift server-side applies the drifted objects as the HelmRelease
// acts, with Helm's field manager, so that the release's next upgrade owns
// their fields as it owned them before. It records an Event either way; a
// failure is the run's, and the state read after it tells whether the drift
// is gone.
func (r *Reconciler) correctDrift(ctx context.Context, obj *v1alpha1.HelmRelease, run *run) error {
	ctx, cancel := context.WithTimeout(ctx, timeoutOf(obj))
	defer cancel()
	opts := ssa.DefaultApplyOptions()
	opts.ExclusionSelector = driftExclusions()
	opts.DriftIgnoreRules = run.drift.rules
	opts.WaitTimeout = timeoutOf(obj)
	changes, err := run.drift.manager.ApplyAllStaged(ctx, run.drift.objects(), opts)
	name := releaseFullName(run.current)
	if err != nil {
		run.failure = outcome.Failed(v1alpha1.DriftCorrectionFailedReason, "Failed to correct cluster state of release %s: %v", name, err)
		r.record(obj, run, corev1.EventTypeWarning, run.failure.Reason, run.failure.Error())
		return nil
	}
	run.failure = nil
	var applied []string
	for _, e := range changes.Entries {
		if e.Action != ssa.UnchangedAction && e.Action != ssa.SkippedAction {
			applied = append(applied, e.String())
		}
	}
	r.record(obj, run, corev1.EventTypeNormal, v1alpha1.DriftCorrectedReason,
		fmt.Sprintf("Cluster state of release %s has been corrected:\n%s", name, strings.Join(applied, "\n")))
	return nil
}

// stillDrifted is why a run ends when the drift it corrected is found
// again: the correction failed, or something undid it at once.
func stillDrifted(run *run) error {
	if run.failure != nil {
		return run.failure
	}
	return outcome.Failed(v1alpha1.DriftCorrectionFailedReason, "Cluster state of release %s drifted again after its correction:\n%s",
		releaseFullName(run.current), run.drift.summary())
}

// releaseObjects are the objects of rel's manifest as Helm builds them
// (namespaced ones in the release's namespace), with the labels and
// annotations Helm sets when it applies them.
func releaseObjects(helm *action.Configuration, rel *release.Release) ([]*unstructured.Unstructured, error) {
	resources, err := helm.KubeClient.Build(bytes.NewBufferString(rel.Manifest), false)
	if err != nil {
		return nil, err
	}
	objects := make([]*unstructured.Unstructured, 0, len(resources))
	for _, info := range resources {
		u, ok := info.Object.(*unstructured.Unstructured)
		if !ok {
			return nil, fmt.Errorf("%s %s is a %T, not unstructured", info.Mapping.GroupVersionKind.Kind, info.Name, info.Object)
		}
		u = u.DeepCopy()
		withHelmMetadata(u, rel)
		objects = append(objects, u)
	}
	return objects, nil
}

// withHelmMetadata sets on o what Helm sets on every object of rel.
func withHelmMetadata(o *unstructured.Unstructured, rel *release.Release) {
	labels := o.GetLabels()
	if labels == nil {
		labels = map[string]string{}
	}
	labels[helmManagedByLabel] = "Helm"
	o.SetLabels(labels)
	annotations := o.GetAnnotations()
	if annotations == nil {
		annotations = map[string]string{}
	}
	annotations[helmReleaseNameAnnotation] = rel.Name
	annotations[helmReleaseNamespaceAnnotation] = rel.Namespace
	o.SetAnnotations(annotations)
}

// driftExclusions leave out an object labelled or annotated
// helm.toolkit.fluxcd.io/driftDetection: disabled, in the manifest or in
// the cluster.
func driftExclusions() map[string]string {
	return map[string]string{driftDetectionKey: "disabled"}
}

// driftIgnoreRules are spec.driftDetection.ignore: JSON pointers left out
// of the comparison (and of the correction) on the objects they target.
func driftIgnoreRules(obj *v1alpha1.HelmRelease) ([]jsondiff.IgnoreRule, error) {
	if obj.Spec.DriftDetection == nil {
		return nil, nil
	}
	return target.IgnoreRules(obj.Spec.DriftDetection.Ignore)
}

// helmFieldManager is the field manager Helm applies the release's objects
// with: its ManagedFieldsManager when set, else the binary's name.
func helmFieldManager() string {
	if kube.ManagedFieldsManager != "" {
		return kube.ManagedFieldsManager
	}
	if os.Args[0] == "" {
		return "unknown"
	}
	return filepath.Base(os.Args[0])
}

// releaseFullName is rel as Flux names it in messages: namespace/name.vN.
func releaseFullName(rel *release.Release) string {
	return fmt.Sprintf("%s/%s.v%d", rel.Namespace, rel.Name, rel.Version)
}

package helmrelease

import (
	"errors"
	"strings"
	"testing"

	"helm.sh/helm/v4/pkg/release/common"
	release "helm.sh/helm/v4/pkg/release/v1"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

func driftSpec(mode v1alpha1.DriftDetectionMode, ignore ...v1alpha1.IgnoreRule) v1alpha1.HelmReleaseSpec {
	return v1alpha1.HelmReleaseSpec{DriftDetection: &v1alpha1.DriftDetection{Mode: mode, Ignore: ignore}}
}

func objectOf(apiVersion, kind, namespace, name string) *unstructured.Unstructured {
	u := &unstructured.Unstructured{}
	u.SetAPIVersion(apiVersion)
	u.SetKind(kind)
	u.SetNamespace(namespace)
	u.SetName(name)
	return u
}

// driftedRun is a run that found the ConfigMap web changed and the Service
// web deleted in release ns/app.v2.
func driftedRun() *run {
	return &run{
		state:   stateDrifted,
		current: releaseOf("app", 2, common.StatusDeployed, "1.0.0", nil),
		drift: &drift{
			changed: []*unstructured.Unstructured{objectOf("v1", "ConfigMap", "ns", "web")},
			deleted: []*unstructured.Unstructured{objectOf("v1", "Service", "ns", "web")},
		},
	}
}

func TestDriftIsCorrectedWhenEnabledAndOnlyReportedWhenWarn(t *testing.T) {
	r := &Reconciler{}
	enabled := &v1alpha1.HelmRelease{Spec: driftSpec(v1alpha1.DriftDetectionEnabled)}
	next, err := r.nextAction(enabled, driftedRun())
	if err != nil || next == nil || next.name != "correct cluster drift" || next.kind != driftKind {
		t.Fatalf("enabled: next %+v, err %v; want the 'correct cluster drift' action", next, err)
	}
	warn := &v1alpha1.HelmRelease{Spec: driftSpec(v1alpha1.DriftDetectionWarn)}
	if next, err := r.nextAction(warn, driftedRun()); next != nil || err != nil {
		t.Errorf("warn: next %+v, err %v; want no action and no failure (reported only)", next, err)
	}
}

func TestDriftFoundAgainAfterItsCorrectionEndsTheRun(t *testing.T) {
	r := &Reconciler{}
	obj := &v1alpha1.HelmRelease{Spec: driftSpec(v1alpha1.DriftDetectionEnabled)}
	run := driftedRun()
	run.done = []actionKind{driftKind}
	next, err := r.nextAction(obj, run)
	if next != nil || err == nil {
		t.Fatalf("next %+v, err %v; want no second correction in one run, and a failure", next, err)
	}
	if f := outcome.Of(err, ""); f.Reason != v1alpha1.DriftCorrectionFailedReason ||
		!strings.Contains(f.Error(), "ns/app.v2") || !strings.Contains(f.Error(), "Service/ns/web deleted") {
		t.Errorf("failure %s: %q; want DriftCorrectionFailed naming the release and the drifted objects", f.Reason, f.Error())
	}

	// A correction that failed ends the run with its own failure.
	run = driftedRun()
	run.done = []actionKind{driftKind}
	run.failure = outcome.Failed(v1alpha1.DriftCorrectionFailedReason, "Failed to correct cluster state of release ns/app.v2: forbidden")
	if _, err := r.nextAction(obj, run); !errors.Is(err, run.failure) {
		t.Errorf("err %v, want the correction's failure", err)
	}
}

func TestDriftSummaryNamesObjectsOnly(t *testing.T) {
	run := driftedRun()
	secret := objectOf("v1", "Secret", "ns", "token")
	secret.Object["data"] = map[string]any{"password": "c2VjcmV0"}
	run.drift.changed = append(run.drift.changed, secret, objectOf("rbac.authorization.k8s.io/v1", "ClusterRole", "", "reader"))
	want := "ConfigMap/ns/web changed\nSecret/ns/token changed\nClusterRole/reader changed\nService/ns/web deleted"
	if got := run.drift.summary(); got != want {
		t.Errorf("summary\n%s\nwant\n%s", got, want)
	}
	if got := len(run.drift.objects()); got != 4 {
		t.Errorf("%d objects to correct, want the 4 drifted ones", got)
	}
}

func TestDriftDetectionIsDisabledByDefaultAndForgetsDrifted(t *testing.T) {
	obj := &v1alpha1.HelmRelease{}
	markDrifted(obj, "ConfigMap/ns/web changed")
	run := &run{state: stateInSync, current: releaseOf("app", 1, common.StatusDeployed, "1.0.0", nil)}
	// No cluster: a detection that looked would fail on the nil Targets.
	if err := (&Reconciler{}).detectDrift(t.Context(), obj, run); err != nil {
		t.Fatal(err)
	}
	if run.state != stateInSync || run.drift != nil {
		t.Errorf("state %q, drift %v; want in sync, not looked at", run.state, run.drift)
	}
	if c := apimeta.FindStatusCondition(obj.Status.Conditions, v1alpha1.DriftedCondition); c != nil {
		t.Errorf("Drifted %+v is kept with drift detection disabled", c)
	}
}

func TestDriftIsNotDetectedUnlessTheReleaseIsInSync(t *testing.T) {
	obj := &v1alpha1.HelmRelease{Spec: driftSpec(v1alpha1.DriftDetectionEnabled)}
	for _, state := range []releaseState{stateAbsent, stateOutOfSync, stateFailed, stateUntested} {
		run := &run{state: state}
		if err := (&Reconciler{}).detectDrift(t.Context(), obj, run); err != nil || run.state != state {
			t.Errorf("%s: state %q, err %v; want it unchanged", state, run.state, err)
		}
	}
	// A forced upgrade applies the release anyway.
	run := &run{state: stateInSync, force: true}
	if err := (&Reconciler{}).detectDrift(t.Context(), obj, run); err != nil || run.state != stateInSync {
		t.Errorf("forced: state %q, err %v; want in sync, upgraded as forced", run.state, err)
	}
}

func TestWarnedDriftKeepsReadyTrue(t *testing.T) {
	obj := &v1alpha1.HelmRelease{Spec: driftSpec(v1alpha1.DriftDetectionWarn)}
	obj.Status.History = []v1alpha1.HelmReleaseSnapshot{{Name: "app", Namespace: "ns", Version: 1, ChartName: "app", ChartVersion: "1.0.0"}}
	obj.Status.LastAttemptedReleaseAction = v1alpha1.ReleaseActionInstall
	markDrifted(obj, "Cluster state of release ns/app.v1 has drifted from the desired state:\nConfigMap/ns/web changed")
	summarize(obj, nil)
	if !apimeta.IsStatusConditionTrue(obj.Status.Conditions, v1alpha1.ReadyCondition) {
		t.Errorf("Ready is not True with a drift only warned of: %+v", obj.Status.Conditions)
	}
	if c := apimeta.FindStatusCondition(obj.Status.Conditions, v1alpha1.DriftedCondition); c == nil ||
		c.Status != metav1.ConditionTrue || c.Reason != v1alpha1.DriftDetectedReason {
		t.Errorf("Drifted %+v, want True DriftDetected", c)
	}
	markNoDrift(obj)
	if c := apimeta.FindStatusCondition(obj.Status.Conditions, v1alpha1.DriftedCondition); c.Status != metav1.ConditionFalse || c.Reason != v1alpha1.NoDriftDetectedReason {
		t.Errorf("Drifted %+v, want False NoDriftDetected", c)
	}
}

func TestReleaseObjectsCarryHelmsMetadata(t *testing.T) {
	o := objectOf("v1", "ConfigMap", "ns", "web")
	o.SetLabels(map[string]string{"app": "web"})
	withHelmMetadata(o, &release.Release{Name: "app", Namespace: "apps"})
	if got := o.GetLabels(); got["app"] != "web" || got[helmManagedByLabel] != "Helm" {
		t.Errorf("labels %v, want the object's own and managed-by Helm", got)
	}
	if got := o.GetAnnotations(); got[helmReleaseNameAnnotation] != "app" || got[helmReleaseNamespaceAnnotation] != "apps" {
		t.Errorf("annotations %v, want the release's name and namespace", got)
	}
}

package helmrelease

import (
	"strings"
	"testing"

	"helm.sh/helm/v4/pkg/release/common"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

func TestForceAndResetRequestsCountOnceAndOnlyWithTheReconcileRequest(t *testing.T) {
	for _, tc := range []struct {
		test        string
		annotations map[string]string
		lastHandled string
		want        bool
	}{
		{test: "no request", annotations: nil},
		{test: "forceAt with the same requestedAt", annotations: map[string]string{
			v1alpha1.ForceRequestAnnotation: "t1", v1alpha1.ReconcileRequestAnnotation: "t1"}, want: true},
		{test: "forceAt with this group's requestedAt", annotations: map[string]string{
			v1alpha1.ForceRequestAnnotation: "t1", v1alpha1.GitOpsReconcileRequestAnnotation: "t1"}, want: true},
		{test: "forceAt with another requestedAt", annotations: map[string]string{
			v1alpha1.ForceRequestAnnotation: "t1", v1alpha1.ReconcileRequestAnnotation: "t2"}},
		{test: "forceAt already handled", annotations: map[string]string{
			v1alpha1.ForceRequestAnnotation: "t1", v1alpha1.ReconcileRequestAnnotation: "t1"}, lastHandled: "t1"},
	} {
		obj := &v1alpha1.HelmRelease{ObjectMeta: metav1.ObjectMeta{Annotations: tc.annotations}}
		handled := tc.lastHandled
		if got := takeRequest(obj, v1alpha1.ForceRequestAnnotation, &handled); got != tc.want {
			t.Errorf("%s: requested %v, want %v", tc.test, got, tc.want)
		}
		if token := tc.annotations[v1alpha1.ForceRequestAnnotation]; handled != token {
			t.Errorf("%s: last handled %q, want the token %q recorded either way", tc.test, handled, token)
		}
	}
}

func TestForceUpgradesAnInSyncReleaseAndOneOutOfRetries(t *testing.T) {
	deployed := releaseOf("app", 1, common.StatusDeployed, "1.0.0", nil)
	obj := failedRelease(v1alpha1.ReleaseActionUpgrade, 0, v1alpha1.HelmReleaseSpec{})
	run := stateRun(memoryHelm(t, deployed), "1.0.0", nil)
	if err := determineState(t.Context(), obj, run); err != nil {
		t.Fatal(err)
	}
	run.force = true
	next, err := (&Reconciler{}).nextAction(obj, run)
	if err != nil || next == nil || next.name != "upgrade" {
		t.Fatalf("forced, in sync: %+v, %v; want upgrade", next, err)
	}
	if next, err := (&Reconciler{}).nextAction(obj, run); err != nil || next != nil {
		t.Errorf("the force is used up, in sync: %+v, %v; want nothing", next, err)
	}

	exhausted := failedRelease(v1alpha1.ReleaseActionUpgrade, 1, v1alpha1.HelmReleaseSpec{})
	run = stateRun(memoryHelm(t, deployed), "2.0.0", nil)
	if err := determineState(t.Context(), exhausted, run); err != nil {
		t.Fatal(err)
	}
	run.force = true
	if next, err := (&Reconciler{}).nextAction(exhausted, run); err != nil || next.name != "upgrade" {
		t.Errorf("forced, out of sync, retries used up: %+v, %v; want upgrade", next, err)
	}
}

func TestAReleaseNamedElsewhereIsUninstalledFirst(t *testing.T) {
	last := v1alpha1.HelmReleaseSnapshot{Name: "web", Namespace: "apps", ChartName: "app"}
	inPlace := v1alpha1.HelmReleaseSpec{Upgrade: &v1alpha1.Upgrade{ChartNameChangeStrategy: v1alpha1.ChartNameChangeInPlaceUpdate}}
	for _, tc := range []struct {
		test    string
		spec    v1alpha1.HelmReleaseSpec
		storage string
		chart   string
		want    string
	}{
		{test: "the same release", storage: "apps", chart: "app"},
		{test: "another releaseName", spec: v1alpha1.HelmReleaseSpec{ReleaseName: "site"}, storage: "apps", chart: "app", want: "release name changed from web to site"},
		{test: "a targetNamespace (which names the release too)", spec: v1alpha1.HelmReleaseSpec{TargetNamespace: "prod", ReleaseName: "web"},
			storage: "apps", chart: "app", want: "target namespace changed from apps to prod"},
		{test: "another storageNamespace", spec: v1alpha1.HelmReleaseSpec{StorageNamespace: "helm"}, storage: "apps", chart: "app",
			want: "storage namespace changed from apps to helm"},
		{test: "another chart", storage: "apps", chart: "site", want: "chart changed from app to site"},
		{test: "another chart, upgraded in place", spec: inPlace, storage: "apps", chart: "site"},
	} {
		obj := &v1alpha1.HelmRelease{ObjectMeta: metav1.ObjectMeta{Namespace: "apps", Name: "web"}, Spec: tc.spec}
		got := movedBecause(obj, last, tc.storage, tc.chart)
		if got != tc.want || (tc.want == "") != (got == "") {
			t.Errorf("%s: %q, want %q", tc.test, got, tc.want)
		}
		if tc.want != "" && !strings.Contains(got, "changed") {
			t.Errorf("%s: %q does not say what changed", tc.test, got)
		}
	}
}

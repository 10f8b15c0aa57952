package helmrelease

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"

	"helm.sh/helm/v4/pkg/action"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	kubefake "helm.sh/helm/v4/pkg/kube/fake"
	"helm.sh/helm/v4/pkg/release/common"
	release "helm.sh/helm/v4/pkg/release/v1"
	"helm.sh/helm/v4/pkg/storage"
	"helm.sh/helm/v4/pkg/storage/driver"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

func TestOriginLabelsOnEveryRenderedObject(t *testing.T) {
	rendered := bytes.NewBufferString(`---
# Source: app/templates/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: app
  labels:
    app: web
---
---
apiVersion: v1
kind: Service
metadata:
  name: app
`)
	out, err := originLabels{name: "podinfo", namespace: "apps"}.Run(rendered)
	if err != nil {
		t.Fatal(err)
	}
	docs := strings.Split(strings.TrimPrefix(out.String(), "---\n"), "---\n")
	if len(docs) != 2 {
		t.Fatalf("%d documents, want the 2 objects:\n%s", len(docs), out)
	}
	for _, doc := range docs {
		var object struct {
			Kind     string
			Metadata struct{ Labels map[string]string }
		}
		if err := yaml.Unmarshal([]byte(doc), &object); err != nil {
			t.Fatal(err)
		}
		labels := object.Metadata.Labels
		if labels[nameLabel] != "podinfo" || labels[namespaceLabel] != "apps" {
			t.Errorf("%s has labels %v, want the HelmRelease's name and namespace", object.Kind, labels)
		}
		if object.Kind == "ConfigMap" && labels["app"] != "web" {
			t.Errorf("the ConfigMap lost its own label: %v", labels)
		}
	}
}

func memoryHelm(t *testing.T, releases ...*release.Release) *action.Configuration {
	t.Helper()
	helm := action.NewConfiguration()
	helm.Releases = storage.Init(driver.NewMemory())
	// Helm's own stand-in for a cluster: these tests decide, they do not apply.
	helm.KubeClient = &kubefake.PrintingKubeClient{Out: io.Discard}
	for _, rel := range releases {
		if err := helm.Releases.Create(rel); err != nil {
			t.Fatal(err)
		}
	}
	return helm
}

func releaseOf(name string, version int, status common.Status, chartVersion string, config map[string]any) *release.Release {
	return &release.Release{
		Name: name, Namespace: "ns", Version: version, Config: config,
		Info:  &release.Info{Status: status},
		Chart: &chart.Chart{Metadata: &chart.Metadata{Name: "app", Version: chartVersion}},
	}
}

func stateRun(helm *action.Configuration, chartVersion string, values map[string]any) *run {
	return &run{helm: helm, values: values, chart: &chart.Chart{Metadata: &chart.Metadata{Name: "app", Version: chartVersion}}}
}

func TestStaleReleaseIsUnlockedAndUpgraded(t *testing.T) {
	for _, status := range []common.Status{common.StatusPendingInstall, common.StatusPendingUpgrade, common.StatusPendingRollback} {
		helm := memoryHelm(t, releaseOf("app", 1, status, "1.0.0", nil))
		obj := &v1alpha1.HelmRelease{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "app"}}
		run := stateRun(helm, "1.0.0", nil)
		if err := determineState(t.Context(), obj, run); err != nil {
			t.Fatal(err)
		}
		if run.state != stateFailed {
			t.Errorf("%s: state %q, want %q (upgraded)", status, run.state, stateFailed)
		}
		stored, err := lastRelease(helm, "app")
		if err != nil {
			t.Fatal(err)
		}
		if stored.Info.Status != common.StatusFailed || !strings.Contains(stored.Info.Description, string(status)) {
			t.Errorf("%s: stored release is %s (%q), want failed, unlocked from %s", status, stored.Info.Status, stored.Info.Description, status)
		}
	}
}

func TestStateComparesChartVersionAndValues(t *testing.T) {
	values := map[string]any{"replicas": float64(2)}
	for _, tc := range []struct {
		test         string
		stored       *release.Release
		chartVersion string
		values       map[string]any
		want         releaseState
	}{
		{test: "no release", chartVersion: "1.0.0", want: stateAbsent},
		{test: "an uninstalled release kept in history", stored: releaseOf("app", 1, common.StatusUninstalled, "1.0.0", values),
			chartVersion: "1.0.0", values: values, want: stateAbsent},
		{test: "deployed as asked", stored: releaseOf("app", 1, common.StatusDeployed, "1.0.0", values),
			chartVersion: "1.0.0", values: map[string]any{"replicas": float64(2)}, want: stateInSync},
		{test: "no values are empty values", stored: releaseOf("app", 1, common.StatusDeployed, "1.0.0", nil),
			chartVersion: "1.0.0", values: map[string]any{}, want: stateInSync},
		{test: "another chart version", stored: releaseOf("app", 1, common.StatusDeployed, "1.0.0", values),
			chartVersion: "1.1.0", values: values, want: stateOutOfSync},
		{test: "other values", stored: releaseOf("app", 1, common.StatusDeployed, "1.0.0", values),
			chartVersion: "1.0.0", values: map[string]any{"replicas": float64(3)}, want: stateOutOfSync},
		{test: "a failed release", stored: releaseOf("app", 1, common.StatusFailed, "1.0.0", values),
			chartVersion: "1.0.0", values: values, want: stateFailed},
	} {
		var helm *action.Configuration
		if tc.stored != nil {
			helm = memoryHelm(t, tc.stored)
		} else {
			helm = memoryHelm(t)
		}
		obj := &v1alpha1.HelmRelease{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "app"}}
		run := stateRun(helm, tc.chartVersion, tc.values)
		if err := determineState(t.Context(), obj, run); err != nil {
			t.Fatalf("%s: %v", tc.test, err)
		}
		if run.state != tc.want {
			t.Errorf("%s: state %q, want %q", tc.test, run.state, tc.want)
		}
	}
}

func TestHistoryKeepsFiveNewestFirstAndOneRecordPerRevision(t *testing.T) {
	obj := &v1alpha1.HelmRelease{}
	for version := 1; version <= 7; version++ {
		recordSnapshot(obj, releaseOf("app", version, common.StatusDeployed, "1.0.0", nil))
	}
	recordSnapshot(obj, releaseOf("app", 7, common.StatusFailed, "1.0.0", nil))
	var versions []int32
	for _, s := range obj.Status.History {
		versions = append(versions, s.Version)
	}
	if want := []int32{7, 6, 5, 4, 3}; !slices.Equal(versions, want) {
		t.Errorf("history holds versions %v, want %v", versions, want)
	}
	if obj.Status.History[0].Status != "failed" {
		t.Errorf("the newest snapshot is %s, want the later record of version 7, failed", obj.Status.History[0].Status)
	}
}

func TestChartTemplateBecomesHelmChartNamespaceDashNameInTheSourcesNamespace(t *testing.T) {
	obj := &v1alpha1.HelmRelease{ObjectMeta: metav1.ObjectMeta{Namespace: "apps", Name: "podinfo", UID: "u1"}}
	obj.Spec.Interval = v1alpha1.Duration{Duration: 300e9}
	obj.Spec.Chart = &v1alpha1.HelmChartTemplate{Spec: v1alpha1.HelmChartTemplateSpec{
		Chart: "podinfo", SourceRef: v1alpha1.CrossNamespaceSourceReference{Kind: "HelmRepository", Name: "charts", Namespace: "flux-system"}}}
	namespace, name := helmChartName(obj)
	if namespace != "flux-system" || name != "apps-podinfo" {
		t.Errorf("HelmChart %s/%s, want flux-system/apps-podinfo", namespace, name)
	}
	chart := helmChartOf(obj, namespace, name)
	if chart.Spec.Version != "*" || chart.Spec.Interval != obj.Spec.Interval || chart.Spec.SourceRef.Name != "charts" {
		t.Errorf("HelmChart spec %+v, want version *, the HelmRelease's interval and its source", chart.Spec)
	}
	if len(chart.OwnerReferences) != 0 {
		t.Errorf("a HelmChart in another namespace has owner references %v", chart.OwnerReferences)
	}
	if chart.Labels[nameLabel] != "podinfo" || chart.Labels[namespaceLabel] != "apps" {
		t.Errorf("HelmChart labels %v, want the HelmRelease's name and namespace", chart.Labels)
	}
	obj.Spec.Chart.Spec.SourceRef.Namespace = ""
	namespace, name = helmChartName(obj)
	if chart := helmChartOf(obj, namespace, name); namespace != "apps" || len(chart.OwnerReferences) != 1 {
		t.Errorf("HelmChart in %s with owners %v, want apps, owned by the HelmRelease", namespace, chart.OwnerReferences)
	}
}

// A run that finds the release in sync fills a status that missed it (the
// status write after the install lost to a conflict): Released and history
// come from the release, not left empty behind a Ready True.
func TestInSyncReleaseFillsAStatusThatMissedIt(t *testing.T) {
	obj := &v1alpha1.HelmRelease{ObjectMeta: metav1.ObjectMeta{Name: "app", Namespace: "apps", Generation: 1}}
	run := stateRun(memoryHelm(t, releaseOf("app", 1, common.StatusDeployed, "1.0.0", nil)), "1.0.0", nil)
	if err := (&Reconciler{}).release(t.Context(), obj, run); err != nil {
		t.Fatal(err)
	}
	summarize(obj, nil)
	if len(obj.Status.History) != 1 || obj.Status.History[0].Version != 1 {
		t.Fatalf("history %+v, want the deployed revision 1", obj.Status.History)
	}
	released := meta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ReleasedCondition)
	if released == nil || released.Status != metav1.ConditionTrue || released.Reason != v1alpha1.InstallSucceededReason ||
		!strings.Contains(released.Message, "ns/app.v1") {
		t.Errorf("Released %+v, want True InstallSucceeded naming ns/app.v1", released)
	}
}

package helmrelease

import (
	"bytes"
	"strings"
	"testing"

	chartcommon "helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/release/common"
	release "helm.sh/helm/v4/pkg/release/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// renderedApp is what Helm hands its post-renderer: a Deployment and a
// Service, each annotated with the template it came from.
const renderedApp = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  annotations:
    postrenderer.helm.sh/postrender-filename: app/templates/deployment.yaml
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: ghcr.io/example/web:1.0.0
---
apiVersion: v1
kind: Service
metadata:
  name: app
  labels: {team: blue}
  annotations:
    postrenderer.helm.sh/postrender-filename: app/templates/service.yaml
spec:
  ports:
  - port: 80
`

func postRenderedObjects(t *testing.T, obj *v1alpha1.HelmRelease, rendered string) map[string]*unstructured.Unstructured {
	t.Helper()
	out, err := postRenderersOf(obj).Run(bytes.NewBufferString(rendered))
	if err != nil {
		t.Fatal(err)
	}
	objects := map[string]*unstructured.Unstructured{}
	decoder := utilyaml.NewYAMLOrJSONDecoder(out, 4096)
	for {
		u := &unstructured.Unstructured{}
		if err := decoder.Decode(&u.Object); err != nil {
			break
		}
		if len(u.Object) > 0 {
			objects[u.GetKind()] = u
		}
	}
	return objects
}

func kustomizeRenderer(patches []v1alpha1.Patch, images ...v1alpha1.Image) v1alpha1.PostRenderer {
	return v1alpha1.PostRenderer{Kustomize: &v1alpha1.KustomizePostRenderer{Patches: patches, Images: images}}
}

func TestPostRenderersPatchAndReplaceImagesThenCommonMetadataThenOriginLabels(t *testing.T) {
	obj := &v1alpha1.HelmRelease{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "apps"}}
	obj.Spec.PostRenderers = []v1alpha1.PostRenderer{
		kustomizeRenderer([]v1alpha1.Patch{
			{Patch: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n  labels:\n    patched: strategic-merge\n    tier: patched\n"},
			{Patch: `[{"op": "add", "path": "/metadata/annotations/patched", "value": "json6902"}]`,
				Target: &v1alpha1.Selector{Kind: "Service", Name: "app"}},
		}),
		kustomizeRenderer(nil, v1alpha1.Image{Name: "ghcr.io/example/web", NewName: "registry.local/web", NewTag: "2.0.0"}),
	}
	obj.Spec.CommonMetadata = &v1alpha1.CommonMetadata{
		Labels:      map[string]string{"tier": "common", nameLabel: "not-the-release"},
		Annotations: map[string]string{"owner": "platform"},
	}
	objects := postRenderedObjects(t, obj, renderedApp)
	deployment, service := objects["Deployment"], objects["Service"]
	if deployment == nil || service == nil {
		t.Fatalf("post-rendered %d objects, want the Deployment and the Service", len(objects))
	}

	if got := deployment.GetLabels()["patched"]; got != "strategic-merge" {
		t.Errorf("Deployment label patched=%q, want the strategic-merge patch's", got)
	}
	if got := service.GetAnnotations()["patched"]; got != "json6902" {
		t.Errorf("Service annotation patched=%q, want the JSON 6902 patch's", got)
	}
	if _, ok := deployment.GetAnnotations()["patched"]; ok {
		t.Error("the JSON 6902 patch reached the Deployment, which its target does not select")
	}
	containers, _, _ := unstructured.NestedSlice(deployment.Object, "spec", "template", "spec", "containers")
	if len(containers) != 1 || containers[0].(map[string]any)["image"] != "registry.local/web:2.0.0" {
		t.Errorf("containers %v, want the image replaced by registry.local/web:2.0.0", containers)
	}
	for _, o := range []*unstructured.Unstructured{deployment, service} {
		labels, annotations := o.GetLabels(), o.GetAnnotations()
		if labels["tier"] != "common" || annotations["owner"] != "platform" {
			t.Errorf("%s: labels %v annotations %v, want commonMetadata's after (over) the patches'", o.GetKind(), labels, annotations)
		}
		if labels[nameLabel] != "web" || labels[namespaceLabel] != "apps" {
			t.Errorf("%s: labels %v, want the origin labels last (over commonMetadata's)", o.GetKind(), labels)
		}
		if annotations["postrenderer.helm.sh/postrender-filename"] == "" {
			t.Errorf("%s lost Helm's template file annotation: %v", o.GetKind(), annotations)
		}
	}
	if service.GetLabels()["team"] != "blue" {
		t.Errorf("the Service lost its own label: %v", service.GetLabels())
	}
	if _, ok := deployment.GetLabels()["team"]; ok {
		t.Error("the Service's label reached the Deployment")
	}
}

func TestWithoutPostRenderersOnlyOriginLabelsAreAdded(t *testing.T) {
	obj := &v1alpha1.HelmRelease{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "apps"}}
	chain := postRenderersOf(obj)
	if len(chain) != 1 || chain[0].name != "origin labels" {
		t.Fatalf("post-renderers %v, want the origin labels alone", chain)
	}
	objects := postRenderedObjects(t, obj, renderedApp)
	if got := objects["Service"].GetLabels(); len(got) != 3 || got[nameLabel] != "web" {
		t.Errorf("Service labels %v, want its own and the two origin labels", got)
	}
}

func TestABadPatchNamesItsPostRenderer(t *testing.T) {
	obj := &v1alpha1.HelmRelease{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "apps"}}
	obj.Spec.PostRenderers = []v1alpha1.PostRenderer{
		kustomizeRenderer(nil, v1alpha1.Image{Name: "ghcr.io/example/web", NewTag: "2.0.0"}),
		kustomizeRenderer([]v1alpha1.Patch{{Patch: `[{"op": "replace", "path": "/spec/missing/field", "value": 1}]`,
			Target: &v1alpha1.Selector{Kind: "Deployment"}}}),
	}
	_, err := postRenderersOf(obj).Run(bytes.NewBufferString(renderedApp))
	if err == nil || !strings.Contains(err.Error(), "spec.postRenderers[1].kustomize: ") {
		t.Fatalf("error %v, want one naming spec.postRenderers[1]", err)
	}
}

// hookedChart renders a Deployment and a pre-install hook Job.
func hookedChart() *chart.Chart {
	return &chart.Chart{
		Metadata: &chart.Metadata{APIVersion: "v2", Name: "app", Version: "1.0.0"},
		Templates: []*chartcommon.File{
			{Name: "templates/deployment.yaml", Data: []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - {name: web, image: web:1}\n")},
			{Name: "templates/hook.yaml", Data: []byte("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n    helm.sh/hook: pre-install\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - {name: migrate, image: web:1}\n")},
		},
	}
}

func TestPostRenderStrategyDecidesWhetherHooksArePostRendered(t *testing.T) {
	for _, tc := range []struct {
		strategy     v1alpha1.PostRenderStrategy
		hookRendered bool
	}{
		{strategy: "", hookRendered: true},
		{strategy: v1alpha1.PostRenderStrategyCombined, hookRendered: true},
		{strategy: v1alpha1.PostRenderStrategySeparate, hookRendered: true},
		{strategy: v1alpha1.PostRenderStrategyNoHooks, hookRendered: false},
	} {
		helm := memoryHelm(t)
		helm.Capabilities = chartcommon.DefaultCapabilities
		obj := &v1alpha1.HelmRelease{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "apps"}}
		obj.Spec.PostRenderStrategy = tc.strategy
		obj.Spec.CommonMetadata = &v1alpha1.CommonMetadata{Labels: map[string]string{"tier": "common"}}
		run := &run{helm: helm, chart: hookedChart(), values: map[string]any{}}
		if err := helmInstall(t.Context(), obj, run); err != nil {
			t.Fatalf("%q: %v", tc.strategy, err)
		}
		rel, err := lastRelease(helm, ReleaseName(obj))
		if err != nil || rel == nil || rel.Info.Status != common.StatusDeployed {
			t.Fatalf("%q: release %v (%v), want it deployed", tc.strategy, rel, err)
		}
		if !strings.Contains(rel.Manifest, "tier: common") || !strings.Contains(rel.Manifest, nameLabel+": web") {
			t.Errorf("%q: manifest not post-rendered:\n%s", tc.strategy, rel.Manifest)
		}
		if len(rel.Hooks) != 1 {
			t.Fatalf("%q: %d hooks, want the Job", tc.strategy, len(rel.Hooks))
		}
		if got := strings.Contains(rel.Hooks[0].Manifest, "tier: common"); got != tc.hookRendered {
			t.Errorf("%q: hook post-rendered %v, want %v:\n%s", tc.strategy, got, tc.hookRendered, rel.Hooks[0].Manifest)
		}
	}
}

func TestChangedPostRenderersOrCommonMetadataUpgradeTheRelease(t *testing.T) {
	renderers := []v1alpha1.PostRenderer{kustomizeRenderer(nil, v1alpha1.Image{Name: "web", NewTag: "2"})}
	metadata := &v1alpha1.CommonMetadata{Labels: map[string]string{"tier": "a"}}
	deployed := func(obj *v1alpha1.HelmRelease) *release.Release {
		return releaseOf(ReleaseName(obj), 1, common.StatusDeployed, "1.0.0", nil)
	}
	for _, tc := range []struct {
		test   string
		change func(*v1alpha1.HelmRelease)
		want   releaseState
	}{
		{test: "nothing changed", change: func(*v1alpha1.HelmRelease) {}, want: stateInSync},
		{test: "another image", change: func(obj *v1alpha1.HelmRelease) {
			obj.Spec.PostRenderers = []v1alpha1.PostRenderer{kustomizeRenderer(nil, v1alpha1.Image{Name: "web", NewTag: "3"})}
		}, want: stateOutOfSync},
		{test: "post-renderers removed", change: func(obj *v1alpha1.HelmRelease) { obj.Spec.PostRenderers = nil }, want: stateOutOfSync},
		{test: "another common label", change: func(obj *v1alpha1.HelmRelease) {
			obj.Spec.CommonMetadata = &v1alpha1.CommonMetadata{Labels: map[string]string{"tier": "b"}}
		}, want: stateOutOfSync},
		{test: "common metadata emptied", change: func(obj *v1alpha1.HelmRelease) {
			obj.Spec.CommonMetadata = &v1alpha1.CommonMetadata{}
		}, want: stateOutOfSync},
	} {
		obj := &v1alpha1.HelmRelease{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "app"}}
		obj.Spec.PostRenderers, obj.Spec.CommonMetadata = renderers, metadata
		observePostRendering(obj)
		tc.change(obj)
		run := stateRun(memoryHelm(t, deployed(obj)), "1.0.0", nil)
		if err := determineState(t.Context(), obj, run); err != nil {
			t.Fatal(err)
		}
		if run.state != tc.want {
			t.Errorf("%s: state %q, want %q", tc.test, run.state, tc.want)
		}
	}
}

// A release installed before post-rendering was recorded, without
// post-renderers or common metadata, stays in sync.
func TestNoPostRenderingObservedAndNoneAskedForIsInSync(t *testing.T) {
	obj := &v1alpha1.HelmRelease{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "app"}}
	obj.Spec.CommonMetadata = &v1alpha1.CommonMetadata{}
	run := stateRun(memoryHelm(t, releaseOf("app", 1, common.StatusDeployed, "1.0.0", nil)), "1.0.0", nil)
	if err := determineState(t.Context(), obj, run); err != nil {
		t.Fatal(err)
	}
	if run.state != stateInSync {
		t.Errorf("state %q, want %q", run.state, stateInSync)
	}
}

package build

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

func TestBuildAppliesTheSpecOverlaysToAnExistingKustomization(t *testing.T) {
	root := writeTree(t, map[string]string{
		"apps/kustomization.yaml": "resources: [deploy.yaml, cm.yaml]\nnamePrefix: own-\nimages:\n- {name: nginx, newTag: '1.26'}\n",
		"apps/deploy.yaml":        deployment,
		"apps/cm.yaml":            configMap,
	})
	objects := mustBuild(t, Input{Root: root, Kustomization: kustomization(v1alpha1.KustomizationSpec{
		Path:            "./apps",
		TargetNamespace: "prod",
		NamePrefix:      "p-",
		NameSuffix:      "-s",
		Images:          []v1alpha1.Image{{Name: "nginx", NewName: "registry.example/nginx", NewTag: "1.27"}},
		Patches: []v1alpha1.Patch{{
			Patch:  `[{"op": "add", "path": "/data/extra", "value": "yes"}]`,
			Target: &v1alpha1.Selector{Kind: "ConfigMap", Name: "settings"},
		}},
		CommonMetadata: &v1alpha1.CommonMetadata{
			Labels:      map[string]string{"team": "blue"},
			Annotations: map[string]string{"owner": "ops"},
		},
	})})

	want := []string{"ConfigMap/prod/p-settings-s", "Deployment/prod/p-web-s"}
	if got := names(objects); !slices.Equal(got, want) {
		t.Fatalf("objects = %v, want %v (the spec's prefix replaces the file's)", got, want)
	}
	web := find(t, objects, "Deployment", "p-web-s")
	containers := field(t, web, "spec", "template", "spec", "containers").([]any)
	if port := containers[0].(map[string]any)["ports"].([]any)[0].(map[string]any)["containerPort"]; port != int64(80) {
		t.Errorf("containerPort = %#v, want int64(80) as in any unstructured object", port)
	}
	web.DeepCopy() // panics on numbers unstructured does not allow
	if image := containers[0].(map[string]any)["image"]; image != "registry.example/nginx:1.27" {
		t.Errorf("image = %v, want the spec's image to replace the file's entry", image)
	}
	if web.GetLabels()["team"] != "blue" || web.GetAnnotations()["owner"] != "ops" {
		t.Errorf("metadata = %v %v, want the common labels and annotations", web.GetLabels(), web.GetAnnotations())
	}
	selector := field(t, web, "spec", "selector", "matchLabels").(map[string]any)
	if _, found := selector["team"]; found {
		t.Errorf("selector %v got the common label; only metadata should", selector)
	}
	settings := find(t, objects, "ConfigMap", "p-settings-s")
	if extra := field(t, settings, "data", "extra"); extra != "yes" {
		t.Errorf("data.extra = %v, want the patch applied", extra)
	}
}

func TestBuildGeneratesAKustomizationListingTheManifests(t *testing.T) {
	root := writeTree(t, map[string]string{
		"deploy/web.yaml":                  deployment,
		"deploy/nested/cm.yml":             configMap,
		"deploy/nested/values.yaml":        "replicas: 3\nimage: nginx\n",
		"deploy/list.yaml":                 "- one\n- two\n",
		"deploy/.github/workflow.yaml":     "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hidden}\n",
		"deploy/notes.txt":                 "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: text}\n",
		"deploy/base/kustomization.yaml":   "resources: [sa.yaml]\nnamePrefix: base-\n",
		"deploy/base/sa.yaml":              "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: runner}\n",
		"deploy/base/ignored-by-base.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: not-listed}\n",
	})
	objects := mustBuild(t, Input{Root: root, Kustomization: kustomization(v1alpha1.KustomizationSpec{Path: "deploy"})})

	want := []string{"ConfigMap/settings", "Deployment/web", "ServiceAccount/base-runner"}
	if got := names(objects); !slices.Equal(got, want) {
		t.Errorf("objects = %v, want %v", got, want)
	}
	generated, err := os.ReadFile(filepath.Join(root, "deploy", "kustomization.yaml"))
	if err != nil {
		t.Fatalf("the generated kustomization.yaml is not in the build directory: %v", err)
	}
	if !strings.Contains(string(generated), "nested/cm.yml") || strings.Contains(string(generated), "values.yaml") {
		t.Errorf("generated kustomization.yaml:\n%s", generated)
	}
}

func TestBuildWithoutPathBuildsTheRoot(t *testing.T) {
	root := writeTree(t, map[string]string{"cm.yaml": configMap})
	objects := mustBuild(t, Input{Root: root, Kustomization: kustomization(v1alpha1.KustomizationSpec{})})
	if got := names(objects); !slices.Equal(got, []string{"ConfigMap/settings"}) {
		t.Errorf("objects = %v", got)
	}
}

func TestBuildErrorNamesTheFileAndTheMissingResource(t *testing.T) {
	root := writeTree(t, map[string]string{"apps/kustomization.yaml": "resources: [deploy.yaml]\n"})
	_, err := Build(context.Background(), Input{Root: root, Kustomization: kustomization(v1alpha1.KustomizationSpec{Path: "apps"})})
	if err == nil {
		t.Fatal("a kustomization with a missing resource built")
	}
	for _, want := range []string{"apps/kustomization.yaml", "deploy.yaml"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	if strings.Contains(err.Error(), root) {
		t.Errorf("error %q shows the server's directory", err)
	}
}

func TestBuildAddsComponentsAndIgnoresMissingOnesWhenAsked(t *testing.T) {
	files := map[string]string{
		"apps/kustomization.yaml": "resources: [cm.yaml]\n",
		"apps/cm.yaml":            configMap,
		"components/extra/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n" +
			"patches:\n- patch: '[{\"op\": \"add\", \"path\": \"/data/component\", \"value\": \"on\"}]'\n  target: {kind: ConfigMap}\n",
	}
	spec := v1alpha1.KustomizationSpec{Path: "apps", Components: []string{"../components/extra", "../components/missing"}}

	_, err := Build(context.Background(), Input{Root: writeTree(t, files), Kustomization: kustomization(spec)})
	if err == nil || !strings.Contains(err.Error(), "components/missing") {
		t.Errorf("missing component: err = %v, want one naming it", err)
	}

	spec.IgnoreMissingComponents = true
	objects := mustBuild(t, Input{Root: writeTree(t, files), Kustomization: kustomization(spec)})
	if got := field(t, find(t, objects, "ConfigMap", "settings"), "data", "component"); got != "on" {
		t.Errorf("data.component = %v, want the component applied", got)
	}
}

func TestBuildOfADirectoryWithoutManifestsIsEmpty(t *testing.T) {
	root := writeTree(t, map[string]string{"docs/README.md": "# nothing to apply\n", "docs/values.yaml": "a: 1\n"})
	objects := mustBuild(t, Input{Root: root, Kustomization: kustomization(v1alpha1.KustomizationSpec{Path: "docs"})})
	if len(objects) != 0 {
		t.Errorf("objects = %v, want none", names(objects))
	}
}

func TestBuildErrorNamesAnInvalidKustomizationFile(t *testing.T) {
	root := writeTree(t, map[string]string{"apps/kustomization.yml": "resources: [a\n"})
	_, err := Build(context.Background(), Input{Root: root, Kustomization: kustomization(v1alpha1.KustomizationSpec{Path: "apps"})})
	if err == nil || !strings.Contains(err.Error(), "apps/kustomization.yml:") || strings.Contains(err.Error(), root) {
		t.Errorf("err = %v, want one naming apps/kustomization.yml relative to the artifact", err)
	}
}

func TestBuildErrorNamesAnInvalidYAMLFileWhenGenerating(t *testing.T) {
	root := writeTree(t, map[string]string{"apps/cm.yaml": configMap, "apps/bad/broken.yaml": "a: [b\n"})
	_, err := Build(context.Background(), Input{Root: root, Kustomization: kustomization(v1alpha1.KustomizationSpec{Path: "apps"})})
	if err == nil || !strings.Contains(err.Error(), "apps/bad/broken.yaml:") || strings.Contains(err.Error(), root) {
		t.Errorf("err = %v, want one naming apps/bad/broken.yaml relative to the artifact", err)
	}
}

package build

import (
	"context"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

const templated = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-${env}
  annotations:
    region: ${region}
    tier: ${tier:=frontend}
    zone: ${zone:-a}
    literal: $${env}
spec:
  replicas: ${replicas}
  paused: ${paused}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:${tag}
`

func TestSubstitutesVariablesFromTheSpecAndReferencedObjects(t *testing.T) {
	root := writeTree(t, map[string]string{"web.yaml": templated})
	client := fake.NewClientset(
		&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "base", Namespace: "flux"},
			Data: map[string]string{"env": "dev", "region": "eu", "replicas": "2", "tag": "1.0"}},
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "prod", Namespace: "flux"},
			Data: map[string][]byte{"env": []byte("prod"), "replicas": []byte("3\n")}},
	)
	k := kustomization(v1alpha1.KustomizationSpec{PostBuild: &v1alpha1.PostBuild{
		Substitute: map[string]string{"tag": "1.27", "paused": "true"},
		SubstituteFrom: []v1alpha1.SubstituteReference{
			{Kind: "ConfigMap", Name: "base"},
			{Kind: "Secret", Name: "prod"},
			{Kind: "ConfigMap", Name: "absent", Optional: true},
		},
	}})
	objects := mustBuild(t, Input{Root: root, Kustomization: k, ConfigMaps: client.CoreV1(), Secrets: client.CoreV1()})

	web := find(t, objects, "Deployment", "web-prod") // the later Secret overrides the ConfigMap
	if got := field(t, web, "spec", "replicas"); got != int64(3) {
		t.Errorf("replicas = %#v, want the number 3 (newline dropped, YAML type kept)", got)
	}
	if got := field(t, web, "spec", "paused"); got != true {
		t.Errorf("paused = %#v, want the boolean true", got)
	}
	containers := field(t, web, "spec", "template", "spec", "containers").([]any)
	if image := containers[0].(map[string]any)["image"]; image != "nginx:1.27" {
		t.Errorf("image = %v, want spec.postBuild.substitute to win over substituteFrom", image)
	}
	want := map[string]string{"region": "eu", "tier": "frontend", "zone": "a", "literal": "${env}"}
	for key, value := range want {
		if got := web.GetAnnotations()[key]; got != value {
			t.Errorf("annotation %s = %q, want %q", key, got, value)
		}
	}
}

func TestSubstitutionCanBeDisabledPerObject(t *testing.T) {
	root := writeTree(t, map[string]string{
		"labelled.yaml":  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: labelled\n  labels: {kustomize.toolkit.fluxcd.io/substitute: disabled}\ndata: {v: '${var}'}\n",
		"annotated.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: annotated\n  annotations: {kustomize.toolkit.fluxcd.io/substitute: disabled}\ndata: {v: '${var}'}\n",
		"plain.yaml":     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata: {v: '${var}'}\n",
	})
	k := kustomization(v1alpha1.KustomizationSpec{PostBuild: &v1alpha1.PostBuild{Substitute: map[string]string{"var": "x"}}})
	objects := mustBuild(t, Input{Root: root, Kustomization: k})
	for name, want := range map[string]string{"labelled": "${var}", "annotated": "${var}", "plain": "x"} {
		if got := field(t, find(t, objects, "ConfigMap", name), "data", "v"); got != want {
			t.Errorf("%s: data.v = %v, want %v", name, got, want)
		}
	}
}

func TestSubstituteStrategy(t *testing.T) {
	files := map[string]string{"cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {v: '${var:=fallback}'}\n"}
	for strategy, want := range map[v1alpha1.SubstituteStrategy]string{
		"":                                       "${var:=fallback}", // WithVariables: no variable, no substitution
		v1alpha1.SubstituteStrategyWithVariables: "${var:=fallback}",
		v1alpha1.SubstituteStrategyAlways:        "fallback",
	} {
		k := kustomization(v1alpha1.KustomizationSpec{PostBuild: &v1alpha1.PostBuild{SubstituteStrategy: strategy}})
		objects := mustBuild(t, Input{Root: writeTree(t, files), Kustomization: k})
		if got := field(t, find(t, objects, "ConfigMap", "cm"), "data", "v"); got != want {
			t.Errorf("strategy %q: data.v = %v, want %v", strategy, got, want)
		}
	}
}

func TestSubstitutionErrors(t *testing.T) {
	client := fake.NewClientset(&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "dotted", Namespace: "flux"},
		Data: map[string]string{"app.name": "x"}})
	cases := map[string]struct {
		postBuild v1alpha1.PostBuild
		manifest  string
		want      []string
	}{
		"invalid name in substitute": {
			postBuild: v1alpha1.PostBuild{Substitute: map[string]string{"1bad": "x"}},
			want:      []string{"spec.postBuild.substitute", `"1bad"`},
		},
		"invalid name in a ConfigMap": {
			postBuild: v1alpha1.PostBuild{SubstituteFrom: []v1alpha1.SubstituteReference{{Kind: "ConfigMap", Name: "dotted"}}},
			want:      []string{"substituteFrom[0]", "ConfigMap/dotted", `"app.name"`},
		},
		"missing required Secret": {
			postBuild: v1alpha1.PostBuild{SubstituteFrom: []v1alpha1.SubstituteReference{{Kind: "Secret", Name: "gone"}}},
			want:      []string{"substituteFrom[0]", "Secret/gone", "not found"},
		},
		"unsupported kind": {
			postBuild: v1alpha1.PostBuild{SubstituteFrom: []v1alpha1.SubstituteReference{{Kind: "Pod", Name: "p"}}},
			want:      []string{"substituteFrom[0]", `"Pod"`},
		},
		"malformed expression": {
			postBuild: v1alpha1.PostBuild{Substitute: map[string]string{"var": "x"}},
			manifest:  "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: broken}\ndata: {v: '${var'}\n",
			want:      []string{"cm.yaml: ConfigMap/broken", "substitution"},
		},
		"value breaking the YAML": {
			postBuild: v1alpha1.PostBuild{Substitute: map[string]string{"var": "a: b: c"}},
			manifest:  "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: typed}\ndata:\n  v: ${var}\n",
			want:      []string{"cm.yaml: ConfigMap/typed", "substituting var:"},
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			manifest := c.manifest
			if manifest == "" {
				manifest = configMap
			}
			k := kustomization(v1alpha1.KustomizationSpec{PostBuild: &c.postBuild})
			_, err := Build(context.Background(), Input{Root: writeTree(t, map[string]string{"cm.yaml": manifest}),
				Kustomization: k, ConfigMaps: client.CoreV1(), Secrets: client.CoreV1()})
			if err == nil {
				t.Fatal("Build succeeded")
			}
			for _, want := range c.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not contain %s", err, want)
				}
			}
		})
	}
}

func TestSubstitutionErrorNamesTheFileOfABase(t *testing.T) {
	root := writeTree(t, map[string]string{
		"apps/kustomization.yaml": "resources: [../base, ok.yaml]\n",
		"apps/ok.yaml":            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\ndata: {v: '${var}'}\n",
		"base/kustomization.yaml": "resources: [config.yaml]\n",
		"base/config.yaml":        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: broken}\ndata: {v: '${var'}\n",
	})
	k := kustomization(v1alpha1.KustomizationSpec{Path: "./apps", PostBuild: &v1alpha1.PostBuild{Substitute: map[string]string{"var": "x"}}})
	_, err := Build(context.Background(), Input{Root: root, Kustomization: k})
	if err == nil || !strings.HasPrefix(err.Error(), "base/config.yaml: ConfigMap/broken: variable substitution failed") {
		t.Fatalf("Build = %v, want an error naming base/config.yaml first", err)
	}
}

package build

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// writeTree writes files (path relative to the root → content) into a new
// directory standing for an extracted source artifact and returns it.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for path, content := range files {
		full := filepath.Join(root, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// kustomization is a Kustomization in namespace "flux" with spec.
func kustomization(spec v1alpha1.KustomizationSpec) *v1alpha1.Kustomization {
	return &v1alpha1.Kustomization{ObjectMeta: metav1.ObjectMeta{Name: "apps", Namespace: "flux"}, Spec: spec}
}

func mustBuild(t *testing.T, in Input) []*unstructured.Unstructured {
	t.Helper()
	objects, err := Build(context.Background(), in)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return objects
}

// names lists the objects as Kind/namespace/name, sorted.
func names(objects []*unstructured.Unstructured) []string {
	var out []string
	for _, obj := range objects {
		out = append(out, objectName(obj))
	}
	slices.Sort(out)
	return out
}

func find(t *testing.T, objects []*unstructured.Unstructured, kind, name string) *unstructured.Unstructured {
	t.Helper()
	for _, obj := range objects {
		if obj.GetKind() == kind && obj.GetName() == name {
			return obj
		}
	}
	t.Fatalf("no %s/%s in %v", kind, name, names(objects))
	return nil
}

func field(t *testing.T, obj *unstructured.Unstructured, path ...string) any {
	t.Helper()
	value, found, err := unstructured.NestedFieldNoCopy(obj.Object, path...)
	if err != nil || !found {
		t.Fatalf("%s has no field %v (err %v)", objectName(obj), path, err)
	}
	return value
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports:
        - containerPort: 80
`

const configMap = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
`

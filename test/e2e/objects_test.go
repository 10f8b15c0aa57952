package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// sample is the valid manifest of one kind in testdata.
type sample struct {
	kind, resource, singular, name, file string
}

// samples returns the testdata manifest of every kind.
func samples(t *testing.T) []sample {
	t.Helper()
	var out []sample
	for _, k := range allKinds {
		file := filepath.Join("testdata", strings.ToLower(k.kind)+".yaml")
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			Kind     string `json:"kind"`
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
		}
		if err := yaml.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if m.Kind != k.kind || m.Metadata.Name == "" {
			t.Fatalf("%s holds a %q named %q, want a named %s", file, m.Kind, m.Metadata.Name, k.kind)
		}
		out = append(out, sample{kind: k.kind, resource: k.resource, singular: strings.ToLower(k.kind),
			name: m.Metadata.Name, file: file})
	}
	return out
}

// ref is how kubectl names the object: <singular>.gitops.io/<name>.
func (s sample) ref() string { return fmt.Sprintf("%s.gitops.io/%s", s.singular, s.name) }

func applyAll(t *testing.T, namespace string) []sample {
	t.Helper()
	all := samples(t)
	for _, s := range all {
		kubectl(t, "apply", "-n", namespace, "-f", s.file)
	}
	return all
}

func TestApplyGetDescribePatchDeleteEveryKind(t *testing.T) {
	ns := newNamespace(t)
	for _, s := range samples(t) {
		t.Run(s.kind, func(t *testing.T) {
			if out := kubectl(t, "apply", "-n", ns, "-f", s.file); !strings.Contains(out, s.ref()+" created") {
				t.Errorf("kubectl apply printed %q, want %q created", out, s.ref())
			}

			table := kubectl(t, "get", s.resource, s.name, "-n", ns)
			header := strings.Fields(strings.SplitN(table, "\n", 2)[0])
			if len(header) < 4 || header[0] != "NAME" || !strings.Contains(table, s.name) {
				t.Errorf("kubectl get printed no row for %s:\n%s", s.name, table)
			}
			for _, column := range []string{"AGE", "READY", "STATUS"} {
				if !strings.Contains(strings.Join(header, " "), column) {
					t.Errorf("kubectl get has no %s column:\n%s", column, table)
				}
			}

			manifest := kubectl(t, "get", s.resource, s.name, "-n", ns, "-o", "yaml")
			for _, want := range []string{"apiVersion: gitops.io/v1alpha1", "kind: " + s.kind, "name: " + s.name,
				"generation: 1", "resourceVersion:", "uid:", "spec:"} {
				if !strings.Contains(manifest, want) {
					t.Errorf("kubectl get -o yaml lacks %q:\n%s", want, manifest)
				}
			}

			description := kubectl(t, "describe", s.resource, s.name, "-n", ns)
			for _, want := range []string{"Name:", s.name, "Namespace:", ns, "Kind:", s.kind, "Spec:"} {
				if !strings.Contains(description, want) {
					t.Errorf("kubectl describe lacks %q:\n%s", want, description)
				}
			}

			// What kubectl edit sends: a patch. Labels are metadata, so the
			// generation, which counts spec changes, stays.
			kubectl(t, "patch", s.resource, s.name, "-n", ns, "--type=merge",
				"-p", `{"metadata":{"labels":{"e2e.gitops.io/patched":"yes"}}}`)
			got := kubectl(t, "get", s.resource, s.name, "-n", ns, "-o",
				`jsonpath={.metadata.labels.e2e\.gitops\.io/patched} {.metadata.generation}`)
			if got != "yes 1" {
				t.Errorf("after a label patch, label and generation are %q, want \"yes 1\"", got)
			}

			if out := kubectl(t, "delete", s.resource, s.name, "-n", ns); !strings.Contains(out, "deleted") {
				t.Errorf("kubectl delete printed %q", out)
			}
			out, err := tryKubectl(t, "", "get", s.resource, s.name, "-n", ns)
			if err == nil || !strings.Contains(out, "NotFound") {
				t.Errorf("kubectl get after delete: err %v, output %q; want NotFound", err, out)
			}
		})
	}
}

func TestGetGitopsCategoryListsEveryKind(t *testing.T) {
	ns := newNamespace(t)
	all := applyAll(t, ns)
	out := kubectl(t, "get", "gitops", "-n", ns, "-o", "name")
	listed := strings.Fields(out)
	if len(listed) != len(all) {
		t.Errorf("kubectl get gitops lists %d objects, want %d:\n%s", len(listed), len(all), out)
	}
	for _, s := range all {
		if !strings.Contains(out, s.ref()) {
			t.Errorf("kubectl get gitops does not list %s:\n%s", s.ref(), out)
		}
	}
}

func TestServerSideApplyConflictBetweenManagers(t *testing.T) {
	ns := newNamespace(t)
	manifest := func(path string) string {
		return `apiVersion: gitops.io/v1alpha1
kind: Kustomization
metadata:
  name: shared
spec:
  interval: 10m
  path: ` + path + `
  prune: true
  sourceRef:
    kind: GitRepository
    name: podinfo
`
	}
	kubectlWithInput(t, manifest("./alice"), "apply", "--server-side", "--field-manager=alice", "-n", ns, "-f", "-")

	out, err := tryKubectl(t, manifest("./bob"), "apply", "--server-side", "--field-manager=bob", "-n", ns, "-f", "-")
	if err == nil {
		t.Fatalf("a second manager changing spec.path was not refused:\n%s", out)
	}
	for _, want := range []string{"conflict", "alice", ".spec.path"} {
		if !strings.Contains(strings.ToLower(out), strings.ToLower(want)) {
			t.Errorf("conflict error lacks %q:\n%s", want, out)
		}
	}
	if path := kubectl(t, "get", "ks", "shared", "-n", ns, "-o", "jsonpath={.spec.path}"); path != "./alice" {
		t.Errorf("after the refused apply, spec.path = %q, want ./alice", path)
	}

	// Forcing takes the field over, as SSA promises.
	kubectlWithInput(t, manifest("./bob"), "apply", "--server-side", "--force-conflicts", "--field-manager=bob", "-n", ns, "-f", "-")
	if path := kubectl(t, "get", "ks", "shared", "-n", ns, "-o", "jsonpath={.spec.path}"); path != "./bob" {
		t.Errorf("after a forced apply, spec.path = %q, want ./bob", path)
	}
}

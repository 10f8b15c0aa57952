package layout

import (
	"strings"
	"testing"
)

// pushed is a manifest as a person writes it: flow style, comments, blank
// lines, quotes and a 4-space indent.
const pushed = `# The app of team a.
apiVersion: gitops.io/v1alpha1
kind: Kustomization
metadata: {name: app, namespace: apps}

spec:
    interval: "5m"   # how often
    path: ./deploy
    # prune removes what left the source
    prune: true
    sourceRef:
        kind: GitRepository
        name: app
`

// canonical is what Split writes of obj's manifest.
func canonical(t *testing.T, obj string) []byte {
	t.Helper()
	manifest, _, err := Split([]byte(obj))
	if err != nil {
		t.Fatal(err)
	}
	return manifest
}

const pushedObject = `{"apiVersion":"gitops.io/v1alpha1","kind":"Kustomization","metadata":{"name":"app","namespace":"apps"},` +
	`"spec":{"interval":"%s","path":"./deploy","prune":true,"sourceRef":{"kind":"GitRepository","name":"app"}%s}}`

func kustomization(interval, extra string) string {
	return strings.Replace(strings.Replace(pushedObject, "%s", interval, 1), "%s", extra, 1)
}

func TestEditChangesOnlyTheChangedLine(t *testing.T) {
	got := string(Edit([]byte(pushed), canonical(t, kustomization("10m", ""))))
	want := strings.Replace(pushed, `interval: "5m"`, `interval: "10m"`, 1)
	if got != want {
		t.Errorf("edited file:\n%s\nwant:\n%s", got, want)
	}
}

func TestEditAddsNewFieldsAndKeepsTheRest(t *testing.T) {
	got := string(Edit([]byte(pushed), canonical(t, kustomization("5m", `,"wait":true,"force":false`))))
	want := pushed + "    force: false\n    wait: true\n"
	if got != want {
		t.Errorf("edited file:\n%s\nwant:\n%s", got, want)
	}
}

func TestEditRemovesDroppedFields(t *testing.T) {
	obj := `{"apiVersion":"gitops.io/v1alpha1","kind":"Kustomization","metadata":{"name":"app","namespace":"apps"},` +
		`"spec":{"interval":"5m","path":"./deploy","sourceRef":{"kind":"GitRepository","name":"app"}}}`
	got := string(Edit([]byte(pushed), canonical(t, obj)))
	want := strings.Replace(pushed, "    # prune removes what left the source\n    prune: true\n", "", 1)
	if got != want {
		t.Errorf("edited file:\n%s\nwant:\n%s", got, want)
	}
}

func TestEditOfAFileThatCannotBeKeptGivesTheManifest(t *testing.T) {
	manifest := canonical(t, kustomization("10m", ""))
	for name, file := range map[string]string{
		"not YAML": "spec: [",
		"anchors":  strings.Replace(pushed, "    path: ./deploy\n", "    path: &p ./deploy\n    x: *p\n", 1),
	} {
		if got := Edit([]byte(file), manifest); string(got) != string(manifest) && !sameContent(got, mergedJSON(t, manifest)) {
			t.Errorf("%s: edit gave\n%s\nwhich does not mean the manifest", name, got)
		}
	}
}

func mergedJSON(t *testing.T, manifest []byte) []byte {
	t.Helper()
	obj, err := Merge(manifest, nil)
	if err != nil {
		t.Fatal(err)
	}
	return obj
}

func TestOperationalAnnotationsStayOffTheBranch(t *testing.T) {
	obj := `{"apiVersion":"gitops.io/v1alpha1","kind":"GitRepository","metadata":{"name":"a","namespace":"n",` +
		`"annotations":{"team":"a","kubectl.kubernetes.io/last-applied-configuration":"{}","reconcile.fluxcd.io/requestedAt":"1"}},"spec":{}}`
	manifest, state, err := Split([]byte(obj))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(manifest), "last-applied") || strings.Contains(string(manifest), "requestedAt") {
		t.Errorf("manifest holds operational annotations:\n%s", manifest)
	}
	if !strings.Contains(string(manifest), "team: a") {
		t.Errorf("manifest lost the person's annotation:\n%s", manifest)
	}
	merged, err := Merge(manifest, state)
	if err != nil {
		t.Fatal(err)
	}
	if !sameContent(merged, []byte(obj)) {
		t.Errorf("merged %s, want %s", merged, obj)
	}
	onlyRequest := strings.Replace(obj, `"team":"a",`, "", 1)
	manifest, _, _ = Split([]byte(onlyRequest))
	if strings.Contains(string(manifest), "annotations") {
		t.Errorf("manifest of an object with only operational annotations has annotations:\n%s", manifest)
	}
}

package layout

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/yaml"
)

func TestPathsRoundTripToKeys(t *testing.T) {
	for key, want := range map[string]string{
		"/kustomizations/apps/podinfo": "apps/kustomizations/podinfo.yaml",
		"/namespaces/apps":             "_cluster/namespaces/apps.yaml",
		"/pods/a/b/c":                  "_keys/pods/a%2Fb%2Fc%.yaml",
		"/pods/":                       "_keys/pods/%.yaml",
	} {
		got, err := ManifestPath(key)
		if err != nil || got != want {
			t.Errorf("ManifestPath(%q) = %q, %v; want %q", key, got, err, want)
			continue
		}
		back, ok := KeyForManifest(got)
		if !ok || back != key {
			t.Errorf("KeyForManifest(%q) = %q, %v; want %q", got, back, ok, key)
		}
		state, err := StatePath(key)
		if err != nil || strings.Count(state, "/") != strings.Count(got, "/")+1 {
			t.Errorf("StatePath(%q) = %q, %v; want one subfolder more than %q", key, state, err, got)
		}
		if back, ok := KeyForState(state); !ok || back != key {
			t.Errorf("KeyForState(%q) = %q, %v; want %q", state, back, ok, key)
		}
	}
}

func TestFilesThatAreNotManifestsAreIgnored(t *testing.T) {
	for _, path := range []string{"README.md", "apps/kustomizations/x.yml", "apps/x.yaml", "a/b/c/d.yaml", "apps/kustomizations/.yaml"} {
		if key, ok := KeyForManifest(path); ok {
			t.Errorf("KeyForManifest(%q) = %q, want it ignored", path, key)
		}
	}
}

func TestKeysCannotEscapeTheirFolder(t *testing.T) {
	for _, key := range []string{"kustomizations/apps/x", "/", "/../x", "/_cluster/x"} {
		if p, err := ManifestPath(key); err == nil && !strings.HasPrefix(p, "_keys/") {
			t.Errorf("ManifestPath(%q) = %q, want an error", key, p)
		}
	}
}

const object = `{"apiVersion":"gitops.io/v1alpha1","kind":"Kustomization",` +
	`"metadata":{"name":"app","namespace":"apps","labels":{"team":"a"},"uid":"u-1","generation":3,` +
	`"resourceVersion":"","creationTimestamp":"2026-01-01T00:00:00Z","finalizers":["f"]},` +
	`"spec":{"interval":"5m","prune":true,"big":12345678901234567},"status":{"observedGeneration":3}}`

func TestSplitKeepsServerStateOffTheBranch(t *testing.T) {
	manifest, state, err := Split([]byte(object))
	if err != nil {
		t.Fatal(err)
	}
	want := "apiVersion: gitops.io/v1alpha1\nkind: Kustomization\nmetadata:\n  labels:\n    team: a\n  name: app\n  namespace: apps\n" +
		"spec:\n  big: 12345678901234567\n  interval: 5m\n  prune: true\n"
	if string(manifest) != want {
		t.Errorf("manifest:\n%s\nwant:\n%s", manifest, want)
	}
	for _, field := range []string{`"uid":"u-1"`, `"generation":3`, `"finalizers":["f"]`, `"observedGeneration":3`} {
		if !strings.Contains(string(state), field) {
			t.Errorf("state %s lacks %s", state, field)
		}
	}
	again, _, _ := Split([]byte(object))
	if string(again) != string(manifest) {
		t.Error("splitting the same object twice gave different manifests")
	}
}

func TestMergeRebuildsTheObject(t *testing.T) {
	manifest, state, err := Split([]byte(object))
	if err != nil {
		t.Fatal(err)
	}
	merged, err := Merge(manifest, state)
	if err != nil {
		t.Fatal(err)
	}
	var a, b map[string]any
	json.Unmarshal([]byte(object), &a)
	json.Unmarshal(merged, &b)
	if ja, jb := mustJSON(a), mustJSON(b); ja != jb {
		t.Errorf("merged object differs:\n%s\nwant\n%s", jb, ja)
	}
}

func mustJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

func TestCheckManifestNamesTheMismatch(t *testing.T) {
	err := CheckManifest("/kustomizations/apps/app", []byte("apiVersion: gitops.io/v1alpha1\nkind: Kustomization\nmetadata:\n  name: other\n  namespace: apps\n"))
	if err == nil || !strings.Contains(err.Error(), "metadata.name") {
		t.Errorf("err = %v, want one naming metadata.name", err)
	}
	err = CheckManifest("/kustomizations/apps/app", []byte("kind: Kustomization\nmetadata:\n  name: app\n  namespace: apps\n"))
	if err == nil || !strings.Contains(err.Error(), "apiVersion") {
		t.Errorf("err = %v, want one naming apiVersion", err)
	}
}

func TestPushedSpecChangeBumpsGenerationAndLabelChangeDoesNot(t *testing.T) {
	old := []byte("apiVersion: v1\nkind: K\nmetadata:\n  name: a\nspec:\n  x: 1\n")
	state := []byte(`{"metadata":{"generation":4,"uid":"u"}}`)
	labelled := []byte("apiVersion: v1\nkind: K\nmetadata:\n  name: a\n  labels:\n    l: v\nspec:\n  x: 1\n")
	changed := []byte("apiVersion: v1\nkind: K\nmetadata:\n  name: a\nspec:\n  x: 2\n")
	if s, _ := StateForExternal(old, state, labelled, nil, time.Now()); !strings.Contains(string(s), `"generation":4`) {
		t.Errorf("label change gave state %s, want generation 4", s)
	}
	if s, _ := StateForExternal(old, state, changed, nil, time.Now()); !strings.Contains(string(s), `"generation":5`) || !strings.Contains(string(s), `"uid":"u"`) {
		t.Errorf("spec change gave state %s, want generation 5 and the same uid", s)
	}
	if s, _ := StateForExternal(nil, nil, changed, nil, time.Now()); !strings.Contains(string(s), `"generation":1`) || !strings.Contains(string(s), `"uid"`) {
		t.Errorf("new object got state %s, want generation 1 and a uid", s)
	}
}

// manifestYAML must write what sigs.k8s.io/yaml.Marshal writes, or an
// unchanged object would change its file on the branch.
func TestManifestYAMLWritesWhatSigsYAMLWrites(t *testing.T) {
	objects := []string{
		`{"a":1,"b":-0,"c":1.0,"d":1.5,"e":1e3,"f":1E-7,"g":12345678901234567890,"h":-9223372036854775808,"i":1e400,"j":0.1}`,
		`{"s":["1","1.0","true","yes","no","on","null","~","","0x1F","0o17","1e3",".5","-","- a","a: b","#c","'q'","\"dq\"","\\","\u0000\b\f\n\r\t","<&>","\u2028\u2029","é€😀"," lead","trail "]}`,
		`{"n":null,"t":true,"f":false,"m":{},"l":[],"ll":[[],[{}],[null,1,"x"]]}`,
		`{"metadata":{"name":"a","labels":{"a10":"x","a9":"y","A":"z","10":"n","9":"m","":"e"}},"spec":{"b":{"z":1,"y":[1,2.5,"3"]}}}`,
		"{\"long\":\"" + strings.Repeat("word ", 40) + "\",\"multi\":\"line one\\nline two\\n\"}",
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		b, _ := json.Marshal(randomValue(rnd, 0))
		objects = append(objects, `{"spec":`+string(b)+`}`)
	}
	for _, js := range objects {
		obj, err := decode([]byte(js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		want, err := yaml.Marshal(obj)
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		got, err := manifestYAML(obj)
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%s:\ngot:\n%s\nwant:\n%s", js, got, want)
		}
	}
}

// randomValue makes a JSON value with the numbers and strings YAML reads in
// more than one way.
func randomValue(rnd *rand.Rand, depth int) any {
	scalars := []func() any{
		func() any { return json.Number(strconv.FormatInt(rnd.Int64N(1<<62)-1<<61, 10)) },
		func() any { return json.Number(strconv.FormatFloat(rnd.NormFloat64()*1e6, 'g', -1, 64)) },
		func() any { return json.Number(strconv.FormatFloat(rnd.ExpFloat64()*1e-9, 'e', -1, 64)) },
		func() any { return json.Number(strconv.FormatUint(rnd.Uint64(), 10)) },
		func() any { return rnd.IntN(2) == 0 },
		func() any { return nil },
		func() any {
			words := []string{"true", "No", "1", "0.5", "null", "~", "a:b", ": ", "#", "-", "é", "\t", "\n", "\"", "'", "x", "{", "[", "*a", "&b", "!t", "%", "@", "`", "1e5", "0x10", " "}
			var b strings.Builder
			for range rnd.IntN(4) {
				b.WriteString(words[rnd.IntN(len(words))])
			}
			return b.String()
		},
	}
	if depth < 4 {
		switch rnd.IntN(4) {
		case 0:
			m := map[string]any{}
			for range rnd.IntN(5) {
				// Keys as Kubernetes objects have them: yaml.v2 orders keys
				// that mix digits and symbols differently by the order it
				// meets them in, so the same map can marshal two ways.
				m[string(rune('a'+rnd.IntN(26)))+"-"+strconv.Itoa(rnd.IntN(20))] = randomValue(rnd, depth+1)
			}
			return m
		case 1:
			l := make([]any, rnd.IntN(4))
			for i := range l {
				l[i] = randomValue(rnd, depth+1)
			}
			return l
		}
	}
	return scalars[rnd.IntN(len(scalars))]()
}

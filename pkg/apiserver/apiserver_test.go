package apiserver

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
)

func TestKindsServeEveryTypeOfTheGroup(t *testing.T) {
	served := map[string]bool{}
	for _, k := range kinds {
		served[k.kind] = true
		if !Scheme.Recognizes(v1alpha1.SchemeGroupVersion.WithKind(k.kind)) {
			t.Errorf("kinds lists %s, which the scheme does not know", k.kind)
		}
		if want := strings.ToLower(k.kind); !strings.HasPrefix(k.resource, want[:len(want)-1]) {
			t.Errorf("kind %s is served as %q, which is not its plural", k.kind, k.resource)
		}
	}
	for _, obj := range v1alpha1.KnownTypes() {
		gvks, _, err := Scheme.ObjectKinds(obj)
		if err != nil {
			t.Fatal(err)
		}
		kind := gvks[0].Kind
		if _, ok := obj.(metav1.Object); !ok {
			continue // a list, or a response such as ObjectHistory
		}
		if !served[kind] {
			t.Errorf("%s is a type of %s but is not served", kind, v1alpha1.SchemeGroupVersion)
		}
	}
}

func TestEveryKindOfTheTableIsServed(t *testing.T) {
	for _, k := range v1alpha1.Kinds {
		if kindNamed(t, k.Kind).resource != k.Resource {
			t.Errorf("%s is not served as %s", k.Kind, k.Resource)
		}
	}
	if len(kinds) != len(v1alpha1.Kinds) {
		t.Errorf("%d kinds are served, the table has %d", len(kinds), len(v1alpha1.Kinds))
	}
}

func kindNamed(t *testing.T, name string) kind {
	t.Helper()
	for _, k := range kinds {
		if k.kind == name {
			return k
		}
	}
	t.Fatalf("no kind %s", name)
	return kind{}
}

func TestPushedObjectValidator(t *testing.T) {
	validate := pushedObjectValidator(kindNamed(t, "GitRepository"))
	gitRepository := func(spec string) []byte {
		return []byte(`{"apiVersion":"gitops.io/v1alpha1","kind":"GitRepository","metadata":{"name":"podinfo","namespace":"apps"},"spec":` + spec + `}`)
	}

	if err := validate(gitRepository(`{"interval":"1m","url":"https://example.com/podinfo.git"}`)); err != nil {
		t.Errorf("a valid GitRepository was refused: %v", err)
	}

	for name, c := range map[string]struct {
		object []byte
		want   string
	}{
		"bad URL":         {gitRepository(`{"interval":"1m","url":"ftp://example.com/podinfo.git"}`), "spec.url"},
		"missing field":   {gitRepository(`{"url":"https://example.com/podinfo.git"}`), "spec.interval"},
		"wrong folder":    {[]byte(`{"apiVersion":"gitops.io/v1alpha1","kind":"Kustomization","metadata":{"name":"x","namespace":"apps"}}`), "only gitops.io/v1alpha1, Kind=GitRepository"},
		"not a manifest":  {[]byte("{not json"), "not a GitRepository manifest"},
		"unparsable time": {gitRepository(`{"interval":"soon","url":"https://example.com/podinfo.git"}`), "soon"},
	} {
		t.Run(name, func(t *testing.T) {
			err := validate(c.object)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error = %v, want one mentioning %q", err, c.want)
			}
		})
	}
}

func TestObjectOfFile(t *testing.T) {
	ref, ok := objectOfFile("apps/kustomizations/podinfo.yaml")
	if !ok || ref.Kind != "Kustomization" || ref.Namespace != "apps" || ref.Name != "podinfo" || ref.APIVersion != "gitops.io/v1alpha1" {
		t.Errorf("objectOfFile(apps/kustomizations/podinfo.yaml) = %+v, %v", ref, ok)
	}
	for _, path := range []string{"README.md", "apps/configmaps/x.yaml", "apps/kustomizations/podinfo.json", "a/b/c/d.yaml"} {
		if ref, ok := objectOfFile(path); ok {
			t.Errorf("objectOfFile(%s) = %+v, want none", path, ref)
		}
	}
}

func TestRepositoryCheckFailsWhenTheRepositoryIsGone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "storage.git")
	log, err := revlog.Open(revlog.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	check := repositoryCheck(log)
	if check.Name() != "gitstore" {
		t.Errorf("check is named %q, want gitstore", check.Name())
	}
	if err := check.Check(nil); err != nil {
		t.Errorf("check fails on a fresh repository: %v", err)
	}
	if err := os.RemoveAll(path); err != nil {
		t.Fatal(err)
	}
	if err := check.Check(nil); err == nil {
		t.Error("check passes although the repository is gone")
	}
}

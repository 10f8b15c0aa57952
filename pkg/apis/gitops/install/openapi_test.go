package install

import (
	"testing"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/kube-openapi/pkg/validation/spec"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/generated/openapi"
)

// The server refuses to start when a published kind has no OpenAPI
// definition or a definition refers to a missing one; check both here.
func TestOpenAPIDefinitionsCoverEveryKindAndReference(t *testing.T) {
	definitions := openapi.GetOpenAPIDefinitions(func(name string) spec.Ref {
		return spec.MustCreateRef("#/definitions/" + name)
	})

	scheme := runtime.NewScheme()
	Install(scheme)
	for gvk := range scheme.AllKnownTypes() {
		if gvk.Group != v1alpha1.GroupName || gvk.Version != v1alpha1.SchemeGroupVersion.Version {
			continue
		}
		name, err := scheme.ToOpenAPIDefinitionName(gvk)
		if err != nil {
			t.Fatalf("%v: %v", gvk, err)
		}
		if _, ok := definitions[name]; !ok {
			t.Errorf("%v has no OpenAPI definition named %q", gvk, name)
		}
	}

	for name, definition := range definitions {
		for _, dependency := range definition.Dependencies {
			if _, ok := definitions[dependency]; !ok {
				t.Errorf("definition %q depends on %q, which is not generated", name, dependency)
			}
		}
	}
}

func TestOpenAPIMarksKustomizationPruneRequired(t *testing.T) {
	definitions := openapi.GetOpenAPIDefinitions(func(name string) spec.Ref {
		return spec.MustCreateRef("#/definitions/" + name)
	})
	spec, ok := definitions[v1alpha1.KustomizationSpec{}.OpenAPIModelName()]
	if !ok {
		t.Fatal("no definition for KustomizationSpec")
	}
	required := map[string]bool{}
	for _, field := range spec.Schema.Required {
		required[field] = true
	}
	for _, field := range []string{"interval", "prune", "sourceRef"} {
		if !required[field] {
			t.Errorf("KustomizationSpec.%s is not marked required; required are %v", field, spec.Schema.Required)
		}
	}
}

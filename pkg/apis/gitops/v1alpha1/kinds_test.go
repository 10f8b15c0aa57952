package v1alpha1

import (
	"slices"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

func TestKindsAreTheTypesOfTheGroup(t *testing.T) {
	scheme := runtime.NewScheme()
	if err := AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, obj := range KnownTypes() {
		gvks, _, err := scheme.ObjectKinds(obj)
		if err != nil {
			t.Fatal(err)
		}
		// Objects, not lists or responses such as ObjectHistory.
		if _, ok := obj.(metav1.Object); ok {
			types = append(types, gvks[0].Kind)
		}
	}
	var kinds []string
	resources := map[string]bool{}
	for _, k := range Kinds {
		kinds = append(kinds, k.Kind)
		if resources[k.Resource] {
			t.Errorf("two kinds are served as %s", k.Resource)
		}
		resources[k.Resource] = true
	}
	slices.Sort(types)
	slices.Sort(kinds)
	if !slices.Equal(types, kinds) {
		t.Errorf("Kinds has %v, the group's types are %v", kinds, types)
	}
}

func TestArtifactKindsKeepAnArtifact(t *testing.T) {
	scheme := runtime.NewScheme()
	if err := AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	for _, k := range Kinds {
		obj, err := scheme.New(SchemeGroupVersion.WithKind(k.Kind))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := obj.(ArtifactHolder); ok != k.Artifact {
			t.Errorf("%s: Artifact is %v, but it implements GetArtifact: %v", k.Kind, k.Artifact, ok)
		}
	}
}

func TestRefFieldsNameArtifactKinds(t *testing.T) {
	for _, f := range RefFields {
		if _, ok := KindNamed(f.Referrer); !ok {
			t.Errorf("%s.%s: no kind %s", f.Referrer, f.Path, f.Referrer)
		}
		for _, kind := range f.Kinds {
			if k, ok := KindNamed(kind); !ok || !k.Artifact {
				t.Errorf("%s.%s accepts %s, which is not a kind with an artifact", f.Referrer, f.Path, kind)
			}
			if !f.Accepts(kind) {
				t.Errorf("%s.%s does not accept %s", f.Referrer, f.Path, kind)
			}
		}
		if f.Accepts(ProviderKind) {
			t.Errorf("%s.%s accepts a Provider", f.Referrer, f.Path)
		}
	}
}

func TestDependencyKindsAreThoseWithAReadyReconciler(t *testing.T) {
	want := []string{GitRepositoryKind, OCIRepositoryKind, HelmRepositoryKind, HelmChartKind, BucketKind, KustomizationKind, HelmReleaseKind}
	if !slices.Equal(DependencyKinds, want) {
		t.Errorf("DependencyKinds %v, want %v", DependencyKinds, want)
	}
}

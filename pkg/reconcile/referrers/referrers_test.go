package referrers

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/cache"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

func TestCachedSecretKeepsNoAnnotationsOrLabels(t *testing.T) {
	secret := &metav1.PartialObjectMetadata{ObjectMeta: metav1.ObjectMeta{
		Namespace: "ns", Name: "creds", ResourceVersion: "7",
		// kubectl apply puts the whole Secret, data included, here.
		Annotations:   map[string]string{"kubectl.kubernetes.io/last-applied-configuration": `{"data":{"password":"aHVudGVyMg=="}}`},
		Labels:        map[string]string{"app": "x"},
		ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "kubectl"}},
	}}
	got, err := namesOnly(secret)
	if err != nil {
		t.Fatal(err)
	}
	want := &metav1.PartialObjectMetadata{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "creds", ResourceVersion: "7"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("cached %+v, want only namespace, name and version", got)
	}
}

func TestIndexKeysNameEachReferencedObject(t *testing.T) {
	refsOf := func(obj *v1alpha1.GitRepository) []Ref {
		return append(Secrets(obj.Namespace, NameOf(obj.Spec.SecretRef), NameOf(obj.Spec.ProxySecretRef)),
			ConfigMaps(obj.Namespace, "settings")...)
	}
	obj := &v1alpha1.GitRepository{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "app"},
		Spec: v1alpha1.GitRepositorySpec{SecretRef: &v1alpha1.LocalObjectReference{Name: "creds"}}}
	keys, err := indexFunc(refsOf)(obj)
	if err != nil {
		t.Fatal(err)
	}
	// No proxySecretRef: no key for it.
	if want := []string{"Secret/ns/creds", "ConfigMap/ns/settings"}; !reflect.DeepEqual(keys, want) {
		t.Errorf("index keys %v, want %v", keys, want)
	}
	if keys, _ := indexFunc(refsOf)("not a GitRepository"); keys != nil {
		t.Errorf("keys %v for an object of another type", keys)
	}
}

func TestWatchesOnlyNamespacesWithReferences(t *testing.T) {
	refsOf := func(obj *v1alpha1.GitRepository) []Ref {
		return Secrets(obj.Namespace, NameOf(obj.Spec.SecretRef))
	}
	indexer := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{indexName: indexFunc(refsOf), scopeIndexName: scopeIndexFunc(refsOf)})
	// Not started: the watches are only booked, which is what this checks.
	w := New(nil)
	w.kinds = []referrer{{indexer: indexer}}
	add := func(namespace, name, secret string) *v1alpha1.GitRepository {
		obj := &v1alpha1.GitRepository{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name}}
		if secret != "" {
			obj.Spec.SecretRef = &v1alpha1.LocalObjectReference{Name: secret}
		}
		if err := indexer.Add(obj); err != nil {
			t.Fatal(err)
		}
		keys, _ := indexFunc(refsOf)(obj)
		w.watch(keys)
		return obj
	}
	remove := func(obj *v1alpha1.GitRepository) {
		if err := indexer.Delete(obj); err != nil {
			t.Fatal(err)
		}
		keys, _ := indexFunc(refsOf)(obj)
		w.release(keys)
	}
	watched := func() []scope {
		var scopes []scope
		for s := range w.watches {
			scopes = append(scopes, s)
		}
		slices.SortFunc(scopes, func(a, b scope) int { return strings.Compare(a.namespace, b.namespace) })
		return scopes
	}

	a1 := add("team-a", "one", "creds")
	a2 := add("team-a", "two", "other-creds")
	add("team-b", "public", "")
	if got, want := watched(), []scope{{Secret, "team-a"}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("watching %v, want %v: team-b references no Secret", got, want)
	}
	remove(a1)
	if got, want := watched(), []scope{{Secret, "team-a"}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("watching %v, want %v while team-a/two still references a Secret", got, want)
	}
	remove(a2)
	if got := watched(); len(got) != 0 {
		t.Errorf("watching %v after the last reference went", got)
	}
}

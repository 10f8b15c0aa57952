package referrers

import (
	"reflect"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

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

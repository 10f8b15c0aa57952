package referrers

import (
	"k8s.io/client-go/tools/cache"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// Kinds of objects that can be referenced.
const (
	Secret    = "Secret"
	ConfigMap = "ConfigMap"
)

// Ref names a Secret or ConfigMap.
type Ref struct {
	Kind, Namespace, Name string
}

// key is the index key of a Secret or ConfigMap.
func (r Ref) key() string { return r.Kind + "/" + r.Namespace + "/" + r.Name }

// The indexes each registered informer gets: by referenced object, and by
// the scope (kind and namespace) it is in.
const (
	indexName      = "referenced"
	scopeIndexName = "referencedScope"
)

// Secrets names Secrets of namespace; empty names are left out, so a
// kind can pass its optional refs as they are.
func Secrets(namespace string, names ...string) []Ref { return refs(Secret, namespace, names) }

// ConfigMaps names ConfigMaps of namespace, as Secrets does.
func ConfigMaps(namespace string, names ...string) []Ref { return refs(ConfigMap, namespace, names) }

func refs(kind, namespace string, names []string) []Ref {
	var out []Ref
	for _, name := range names {
		if name != "" {
			out = append(out, Ref{Kind: kind, Namespace: namespace, Name: name})
		}
	}
	return out
}

// indexFunc indexes objects of type T by what refsOf says they reference.
func indexFunc[T any](refsOf func(T) []Ref) cache.IndexFunc {
	return func(obj any) ([]string, error) {
		o, ok := obj.(T)
		if !ok {
			return nil, nil
		}
		var keys []string
		for _, r := range refsOf(o) {
			keys = append(keys, r.key())
		}
		return keys, nil
	}
}

// NameOf is the name ref gives, "" for no ref.
func NameOf(ref *v1alpha1.LocalObjectReference) string {
	if ref == nil {
		return ""
	}
	return ref.Name
}

// scopeIndexFunc indexes objects of type T by the scopes of what refsOf
// says they reference.
func scopeIndexFunc[T any](refsOf func(T) []Ref) cache.IndexFunc {
	keysOf := indexFunc(refsOf)
	return func(obj any) ([]string, error) {
		keys, err := keysOf(obj)
		var scopes []string
		for s := range scopesOf(keys) {
			scopes = append(scopes, s.key())
		}
		return scopes, err
	}
}

package dependency

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// Ref is one dependency, its kind and namespace filled in.
type Ref struct {
	Kind, Namespace, Name string
	// ReadyExpr, when set, decides readiness instead of the Ready condition.
	ReadyExpr string
	// sameKind: the referrer's own kind, which messages leave out, as Flux
	// names dependencies.
	sameKind bool
}

// String names the dependency in messages: namespace/name, prefixed by the
// kind when it is not the referrer's.
func (r Ref) String() string {
	if r.sameKind {
		return r.Namespace + "/" + r.Name
	}
	return r.Kind + "/" + r.Namespace + "/" + r.Name
}

// Key identifies the dependency in the index of dependants.
func (r Ref) Key() string { return Key(r.Kind, r.Namespace, r.Name) }

// Key is the index key of an object that others may depend on.
func Key(kind, namespace, name string) string { return kind + "/" + namespace + "/" + name }

// Refs returns deps of a referrer of kind in namespace, kinds and
// namespaces filled in.
func Refs(kind, namespace string, deps []v1alpha1.DependencyReference) []Ref {
	refs := make([]Ref, 0, len(deps))
	for _, d := range deps {
		ns := d.Namespace
		if ns == "" {
			ns = namespace
		}
		depKind := v1alpha1.DependencyKindOf(d, kind)
		refs = append(refs, Ref{Kind: depKind, Namespace: ns, Name: d.Name, ReadyExpr: d.ReadyExpr, sameKind: depKind == kind})
	}
	return refs
}

// Keys are the index keys of what deps name.
func Keys(kind, namespace string, deps []v1alpha1.DependencyReference) []string {
	var keys []string
	for _, r := range Refs(kind, namespace, deps) {
		keys = append(keys, r.Key())
	}
	return keys
}

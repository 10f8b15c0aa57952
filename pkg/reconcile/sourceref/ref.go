package sourceref

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// Ref names a source object.
type Ref struct {
	Kind, Namespace, Name string
}

// String names the source in messages, and is its key in the index of
// referrers.
func (r Ref) String() string { return r.Kind + "/" + r.Namespace + "/" + r.Name }

// In fills in the namespace of a reference written by a referrer in
// namespace: a reference without one names a source in the referrer's.
func (r Ref) In(namespace string) Ref {
	if r.Namespace == "" {
		r.Namespace = namespace
	}
	return r
}

// Resolve resolves ref, written in field by a referrer in namespace. A kind
// the field does not accept, and another namespace when noCrossNamespace
// is set, stall: waiting cannot help, only an edit of the referrer.
func Resolve(field v1alpha1.RefField, namespace string, ref Ref, noCrossNamespace bool) (Ref, error) {
	ref = ref.In(namespace)
	if !field.Accepts(ref.Kind) {
		return ref, outcome.Stalled(v1alpha1.ArtifactFailedReason, "%s.kind: %q is not a source a %s can use",
			field.Path, ref.Kind, field.Referrer)
	}
	if noCrossNamespace && ref.Namespace != namespace {
		return ref, outcome.Stalled(v1alpha1.ArtifactFailedReason,
			"%s: cannot refer to %s: cross-namespace references are not allowed on this server", field.Path, ref)
	}
	return ref, nil
}

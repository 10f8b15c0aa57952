package gitops

import (
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// GroupName is the API group of all gitops.io kinds.
const GroupName = v1alpha1.GroupName

// SchemeGroupVersion is the internal version of the group.
var SchemeGroupVersion = schema.GroupVersion{Group: GroupName, Version: runtime.APIVersionInternal}

var (
	// SchemeBuilder collects the functions that add the internal version to a scheme.
	SchemeBuilder = runtime.NewSchemeBuilder(addKnownTypes)
	// AddToScheme registers the internal version (backed by the v1alpha1 types).
	AddToScheme = SchemeBuilder.AddToScheme
)

// Resource qualifies a resource name with the group.
func Resource(resource string) schema.GroupResource {
	return schema.GroupResource{Group: GroupName, Resource: resource}
}

// Kind qualifies a kind name with the group.
func Kind(kind string) schema.GroupKind {
	return schema.GroupKind{Group: GroupName, Kind: kind}
}

func addKnownTypes(scheme *runtime.Scheme) error {
	// The same Go types as v1alpha1: the scheme then converts between the two
	// versions by setting the kind, without conversion functions.
	scheme.AddKnownTypes(SchemeGroupVersion, v1alpha1.KnownTypes()...)
	return nil
}

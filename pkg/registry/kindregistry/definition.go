// Package kindregistry is the registry code every gitops.io kind shares: the
// create/update and status strategies, the table kubectl prints, label and
// field selection, and the genericregistry.Store with its status subresource.
// A kind's own package (pkg/registry/<kind>) only says what differs: its
// names, its validation and its extra table columns.
package kindregistry

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Object is what every gitops.io kind is: a namespaced Kubernetes object
// whose status carries kstatus conditions.
type Object interface {
	runtime.Object
	metav1.Object
	GetConditions() []metav1.Condition
	ReconcileStatus() v1alpha1.ReconcileStatus
}

// Definition tells the shared strategies where a kind keeps its spec and
// status, and how to validate it. Spec and Status return pointers into the
// object, so the strategies can compare and copy them.
type Definition[T Object, Spec, Status any] struct {
	Spec   func(T) *Spec
	Status func(T) *Status

	// ValidateSpec checks the spec of a new or updated object. The
	// strategy checks the metadata of a new object; that of an update the
	// generic registry checks against the old object.
	ValidateSpec func(spec Spec, path *field.Path) field.ErrorList
	// Warnings, when set, returns warnings for kubectl about a new or updated
	// object, such as deprecated fields.
	Warnings func(T) []string
}

// Resource names a kind's REST resource and says how kubectl shows it.
type Resource[T Object] struct {
	// Plural and Singular are the resource names, e.g. "gitrepositories"
	// and "gitrepository".
	Plural, Singular string
	// ShortNames are the aliases kubectl accepts, e.g. "gitrepo".
	ShortNames []string
	// New returns an empty object; NewList an empty list.
	New     func() T
	NewList func() runtime.Object
	// Columns are shown between NAME and AGE, READY, STATUS.
	Columns []Column[T]
}

// Categories are the categories of every gitops.io resource, so that
// `kubectl get gitops` lists them all.
var Categories = []string{"gitops"}

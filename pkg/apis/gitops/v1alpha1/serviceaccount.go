package v1alpha1

import (
	"reflect"

	"k8s.io/apimachinery/pkg/runtime"
)

// ServiceAccountNameOf is spec.serviceAccountName of an object of any kind
// of the group, "" when unset or the kind has no such field. It is the
// identity an object borrows: its writer must be allowed to impersonate it,
// and setting it makes the writer the owner. Reflection reaches it without
// an accessor on each spec type.
func ServiceAccountNameOf(obj runtime.Object) string {
	v := reflect.ValueOf(obj)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return ""
	}
	spec := v.Elem().FieldByName("Spec")
	if !spec.IsValid() || spec.Kind() != reflect.Struct {
		return ""
	}
	name := spec.FieldByName("ServiceAccountName")
	if !name.IsValid() || name.Kind() != reflect.String {
		return ""
	}
	return name.String()
}

package secretref

import "fmt"

// Ref names a Secret or ConfigMap and the field of the object that refers
// to it.
type Ref struct {
	Namespace, Name string
	// Field is the referring field, such as spec.secretRef, which starts
	// every message about the object; empty when the caller's message names
	// the field itself.
	Field string
}

// String is 'namespace/name', as messages name the object.
func (r Ref) String() string { return r.Namespace + "/" + r.Name }

// errorf is an error about the referred object, starting with the field.
func (r Ref) errorf(format string, args ...any) error {
	if r.Field == "" {
		return fmt.Errorf(format, args...)
	}
	return fmt.Errorf(r.Field+": "+format, args...)
}

// Package gitops is the internal version of the gitops.io API group.
//
// The group has a single served version, so the internal version reuses the
// v1alpha1 Go types instead of declaring its own: the registry works on
// v1alpha1 objects and no conversion code has to be generated or kept in sync.
// When a second version arrives, this package gets types of its own and
// conversion-gen takes over.
package gitops

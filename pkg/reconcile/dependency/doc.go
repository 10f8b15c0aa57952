// Package dependency holds an object back until what its spec.dependsOn
// names is ready, for any kind with dependsOn and naming any kind whose
// Ready condition a reconciler keeps (v1alpha1.DependencyKinds): a
// Kustomization may wait for a GitRepository or a HelmRelease, and the
// reverse. An entry without a kind
// names the referrer's own kind, Flux's meaning.
//
// check.go decides (ready, waiting, stalled on a cycle, a readyExpr that
// does not evaluate or a forbidden namespace); ref.go names dependencies and
// gives the index keys by which a dependency wakes its dependants, and
// wake.go wakes them when it becomes Ready.
package dependency

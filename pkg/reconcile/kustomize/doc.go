// Package kustomize reconciles Kustomizations the way Flux's
// kustomize-controller does: it fetches the source's artifact through the
// API (digest checked), builds it (package build), applies the objects to the
// target cluster with server-side apply, prunes what left the source, checks
// health, and records an inventory of what it applied.
//
// Kind (reconciler.go) is the list of steps on the reconciler runtime:
// dependencies (package dependency), source.go (package sourceref) and the
// build package, cluster.go, apply.go, inventory.go and prune.go, health.go.
// status.go is the one place that sets conditions; events.go and
// history.go record the run; finalize.go handles deletion; references.go
// names the Secrets and ConfigMaps that wake it; controller.go feeds the
// Kind from informers and wakes it when a source or dependency changes.
package kustomize

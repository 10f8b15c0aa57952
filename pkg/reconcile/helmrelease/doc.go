// Package helmrelease reconciles HelmReleases the way Flux's helm-controller
// does, with the Helm 4 SDK and releases in Helm's Secret storage (in
// storageNamespace, so the helm CLI lists them), as a kind on the shared
// reconciler runtime of package controller.
//
// Kind (reconciler.go) is the list of steps: dependencies (package
// dependency); source.go resolves the chart (spec.chartRef, or the HelmChart
// helmchart.go makes from spec.chart) and loads its artifact, fetched
// through package sourceref with its digest checked; values.go composes the
// values (valuesref.go reads a valuesFrom entry, targetpath.go sets one at
// a targetPath); cluster.go opens Helm's action configuration on the target
// cluster (package target; getter.go is Helm's client getter for it);
// state.go decides what the release is (absent, in sync, out of sync,
// failed, drifted), unlocking one left pending-*; drift.go turns an
// in-sync release whose objects were changed or deleted in the cluster into
// a drifted one (spec.driftDetection: a server-side apply dry-run of the
// manifest's objects as the HelmRelease acts, less the ignore rules and the
// objects marked helm.toolkit.fluxcd.io/driftDetection: disabled);
// postrender_digest.go puts it out of sync when only the post-renderers or
// commonMetadata changed. next.go picks the action the state calls for, at
// most one of each kind a run: install or upgrade (crds.go applies CRDs as
// the crds policy says; postrender.go chains the post-renderers as Flux
// does: spec.postRenderers (postrender_kustomize.go: patches and images,
// built by kustomize in memory), then spec.commonMetadata, then the labels
// naming the HelmRelease, with hooks as spec.postRenderStrategy says; wait.go
// waits for the objects by polling them, Flux's poller strategy), test,
// remediation, or the correction of a drift, which applies the drifted
// objects again with Helm's field manager (mode enabled; warn only
// reports); history.go records a release. status.go is the one place that
// sets conditions; events.go records Events; finalize.go uninstalls on
// deletion; references.go names the Secrets and ConfigMaps that wake it;
// controller.go feeds the Kind and wakes it when its chart has a new
// artifact. releasename.go names the release as Flux does; moved.go
// uninstalls it where it was when its name or namespaces change.
package helmrelease

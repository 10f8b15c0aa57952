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
// failed), unlocking one left pending-*; action.go runs the one install or
// upgrade that calls for (crds.go applies CRDs as the crds policy says;
// postrender.go chains the post-renderers as Flux does: spec.postRenderers
// (postrender_kustomize.go: patches and images, built by kustomize in
// memory), then spec.commonMetadata, then the labels naming the
// HelmRelease, with hooks as spec.postRenderStrategy says) and history.go
// records it. postrender_digest.go makes a change of only the
// post-renderers or commonMetadata put the release out of sync. status.go is the one place that sets conditions; events.go
// records Events; finalize.go uninstalls on deletion; references.go names
// the Secrets and ConfigMaps that wake it; controller.go feeds the Kind and
// wakes it when its chart has a new artifact. releasename.go names the
// release as Flux does.
//
// Not yet: remediation (retries, rollback, uninstall after a failure),
// Helm tests, drift detection, and reinstalling when the release name,
// target or storage namespace changes.
package helmrelease

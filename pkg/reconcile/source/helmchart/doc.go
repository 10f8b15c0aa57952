// Package helmchart reconciles HelmCharts the way Flux's source-controller
// does: it turns one chart of a source into a packaged chart (.tgz) stored as
// the artifact, whose revision is the chart version.
//
// Reconcile (reconciler.go) reads as the list of steps. The source decides
// how the chart is made: from a HelmRepository's stored index, the chart
// version matching spec.version is downloaded (remote.go); from an OCI
// HelmRepository it is pulled from the registry (oci.go); from a
// GitRepository or Bucket, the chart directory at spec.chart in the source's
// artifact, fetched through its artifact subresource (package sourceref), is
// packaged (local.go). valuesFiles are merged into the chart's
// values (values.go) and the result stored (artifact.go). status.go is the
// one place that sets conditions; controller.go feeds the Reconciler from an
// informer and re-queues charts when their source changes. A change of the
// HelmRepository's Secret wakes its charts too (pkg/reconcile's
// controllers.go, where the Secret watch is wired).
package helmchart

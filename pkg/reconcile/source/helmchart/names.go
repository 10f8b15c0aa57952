// Package helmchart reconciles HelmCharts the way Flux's source-controller
// does: it turns one chart of a source into a packaged chart (.tgz) stored as
// the artifact, whose revision is the chart version.
//
// Reconcile (reconciler.go) reads as the list of steps. The source decides
// how the chart is made: from a HelmRepository's stored index, the chart
// version matching spec.version is downloaded (remote.go); from an OCI
// HelmRepository it is pulled from the registry (oci.go); from a
// GitRepository or Bucket, the chart directory at spec.chart in the source's
// artifact is packaged (local.go). valuesFiles are merged into the chart's
// values (values.go) and the result stored (artifact.go). status.go is the
// one place that sets conditions; controller.go feeds the Reconciler from an
// informer and re-queues charts when their source changes.
package helmchart

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// Short local names of the conditions and reasons this reconciler uses,
// spelt as Flux spells them.
const (
	kind = v1alpha1.HelmChartKind

	sourceFetchFailed = source.FetchFailedCondition
	storageFailed     = source.StorageOperationFailedCondition
	artifactInStorage = source.ArtifactInStorageCondition
	// buildFailed is True while the chart cannot be pulled or packaged.
	buildFailed = "BuildFailed"

	chartPullFailed       = "ChartPullFailed"
	chartPullSucceeded    = "ChartPullSucceeded"
	chartPackageFailed    = "ChartPackageFailed"
	chartPackageSucceeded = "ChartPackageSucceeded"
	// sourceUnavailable: the source object is missing or of an unknown kind.
	sourceUnavailable = "SourceUnavailable"
	// noSourceArtifact: the source exists but has no artifact yet.
	noSourceArtifact = "NoSourceArtifact"
)

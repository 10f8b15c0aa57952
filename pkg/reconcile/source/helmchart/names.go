package helmchart

import "gitops.io/apiserver/pkg/apis/gitops/v1alpha1"

const kind = v1alpha1.HelmChartKind

// Conditions and reasons of HelmCharts, spelt as Flux spells them.
const (
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

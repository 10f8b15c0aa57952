package helmchart

import "gitops.io/apiserver/pkg/apis/gitops/v1alpha1"

const kind = v1alpha1.HelmChartKind

// buildFailed is the condition, True while the chart cannot be pulled or
// packaged, as Flux names it.
const buildFailed = "BuildFailed"

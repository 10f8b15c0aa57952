// Package helmchart serves HelmChart objects: charts packaged from a source.
package helmchart

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/apis/gitops/validation"
	"gitops.io/apiserver/pkg/registry/kindregistry"
)

// definition tells the shared strategies where HelmChart keeps its spec and
// status and how it is validated; see kindregistry.Strategy for the rest
// (generation, status reset, status subresource).
var definition = kindregistry.Definition[*v1alpha1.HelmChart, v1alpha1.HelmChartSpec, v1alpha1.HelmChartStatus]{
	Spec:           func(o *v1alpha1.HelmChart) *v1alpha1.HelmChartSpec { return &o.Spec },
	Status:         func(o *v1alpha1.HelmChart) *v1alpha1.HelmChartStatus { return &o.Status },
	Validate:       validation.ValidateHelmChart,
	ValidateUpdate: validation.ValidateHelmChartUpdate,
}

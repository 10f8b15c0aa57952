package helmrelease

import (
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/registry/generic"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/registry/kindregistry"
)

// resource names helmreleases and says how kubectl prints them.
var resource = kindregistry.Resource[*v1alpha1.HelmRelease]{
	Plural:     "helmreleases",
	Singular:   "helmrelease",
	ShortNames: []string{"hr"},
	New:        func() *v1alpha1.HelmRelease { return &v1alpha1.HelmRelease{} },
	NewList:    func() runtime.Object { return &v1alpha1.HelmReleaseList{} },
	Columns: []kindregistry.Column[*v1alpha1.HelmRelease]{
		{Name: "Chart", Type: "string", Description: "Chart name, or the source holding the chart.",
			Value: func(o *v1alpha1.HelmRelease) any { return chartName(o) }},
		{Name: "Version", Type: "string", Description: "Version range of the chart.",
			Value: func(o *v1alpha1.HelmRelease) any { return chartVersion(o) }},
		{Name: "Revision", Type: "string", Priority: 1, Description: "Chart version of the last attempt.",
			Value: func(o *v1alpha1.HelmRelease) any { return kindregistry.OrNone(o.Status.LastAttemptedRevision) }},
	},
}

// NewREST returns the storage of helmreleases and of their status.
func NewREST(scheme *runtime.Scheme, optsGetter generic.RESTOptionsGetter) (*kindregistry.REST, *kindregistry.StatusREST, error) {
	return kindregistry.NewREST(scheme, optsGetter, resource, definition)
}

// chartName is the chart of the template, or Kind/name of the chartRef.
func chartName(o *v1alpha1.HelmRelease) any {
	switch {
	case o.Spec.Chart != nil:
		return o.Spec.Chart.Spec.Chart
	case o.Spec.ChartRef != nil:
		return o.Spec.ChartRef.Kind + "/" + o.Spec.ChartRef.Name
	}
	return nil
}

// chartVersion is the version range of the template; a chartRef has none.
func chartVersion(o *v1alpha1.HelmRelease) any {
	if o.Spec.Chart == nil {
		return nil
	}
	return kindregistry.OrNone(o.Spec.Chart.Spec.Version)
}

package helmchart

import (
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/registry/generic"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/registry/kindregistry"
)

// resource names helmcharts and says how kubectl prints them.
var resource = kindregistry.Resource[*v1alpha1.HelmChart]{
	Plural:     "helmcharts",
	Singular:   "helmchart",
	ShortNames: []string{"hc"},
	New:        func() *v1alpha1.HelmChart { return &v1alpha1.HelmChart{} },
	NewList:    func() runtime.Object { return &v1alpha1.HelmChartList{} },
	Columns: []kindregistry.Column[*v1alpha1.HelmChart]{
		{Name: "Chart", Type: "string", Description: "Name or path of the chart.",
			Value: func(o *v1alpha1.HelmChart) any { return o.Spec.Chart }},
		{Name: "Version", Type: "string", Description: "Version range of the chart.",
			Value: func(o *v1alpha1.HelmChart) any { return kindregistry.OrNone(o.Spec.Version) }},
		{Name: "Source Kind", Type: "string", Description: "Kind of the source.",
			Value: func(o *v1alpha1.HelmChart) any { return o.Spec.SourceRef.Kind }},
		{Name: "Source Name", Type: "string", Description: "Name of the source.",
			Value: func(o *v1alpha1.HelmChart) any { return o.Spec.SourceRef.Name }},
		{Name: "Revision", Type: "string", Priority: 1, Description: "Chart version of the latest artifact.",
			Value: func(o *v1alpha1.HelmChart) any { return kindregistry.ArtifactRevision(o.Status.Artifact) }},
	},
}

// NewREST returns the storage of helmcharts and of their status.
func NewREST(scheme *runtime.Scheme, optsGetter generic.RESTOptionsGetter) (*kindregistry.REST, *kindregistry.StatusREST, error) {
	return kindregistry.NewREST(scheme, optsGetter, resource, definition)
}

package build

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// SetCommonMetadata adds spec.commonMetadata (of a Kustomization or a
// HelmRelease) to the metadata of obj only, unlike kustomize's commonLabels,
// which also rewrite selectors and pod templates; the spec's values win
// over the object's, as in Flux.
func SetCommonMetadata(obj *unstructured.Unstructured, common *v1alpha1.CommonMetadata) {
	if common == nil {
		return
	}
	if len(common.Labels) > 0 {
		obj.SetLabels(merged(obj.GetLabels(), common.Labels))
	}
	if len(common.Annotations) > 0 {
		obj.SetAnnotations(merged(obj.GetAnnotations(), common.Annotations))
	}
}

func merged(own, common map[string]string) map[string]string {
	out := make(map[string]string, len(own)+len(common))
	for k, v := range own {
		out[k] = v
	}
	for k, v := range common {
		out[k] = v
	}
	return out
}

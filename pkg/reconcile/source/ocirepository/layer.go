package ocirepository

import (
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// layerSelection is a layer selector with Flux's defaults filled in: any
// media type (the first layer), extracted.
func layerSelection(selector *v1alpha1.OCILayerSelector) v1alpha1.OCILayerSelector {
	var s v1alpha1.OCILayerSelector
	if selector != nil {
		s = *selector
	}
	if s.Operation == "" {
		s.Operation = v1alpha1.OCILayerExtract
	}
	return s
}

// selectLayer picks the first layer of the manifest with the selected
// media type, or the first layer when no media type is selected.
func selectLayer(manifest *v1.Manifest, selection v1alpha1.OCILayerSelector) (v1.Descriptor, error) {
	if len(manifest.Layers) == 0 {
		return v1.Descriptor{}, source.FetchFailed(v1alpha1.OCILayerOperationFailedReason, "the artifact has no layers")
	}
	if selection.MediaType == "" {
		return manifest.Layers[0], nil
	}
	for _, layer := range manifest.Layers {
		if string(layer.MediaType) == selection.MediaType {
			return layer, nil
		}
	}
	return v1.Descriptor{}, source.FetchFailed(v1alpha1.OCILayerOperationFailedReason, "the artifact has no layer with media type '%s'", selection.MediaType)
}

package ocirepository

import (
	"bytes"
	"maps"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/static"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/artifact/artifacttest"
	"gitops.io/apiserver/test/ociregistry"
)

// pushTwoLayers pushes an artifact whose first layer is plain text and
// second Flux's tar.gz of files, and returns the tar.gz. Its image is left
// out when extracted, so the extracted artifact differs from the layer.
func pushTwoLayers(t *testing.T, reg *ociregistry.Registry) []byte {
	tarGz := ociregistry.TarGz(t, map[string]string{"app.yaml": "kind: ConfigMap\n", "logo.png": "binary"})
	reg.Push(t, "app", "latest", ociregistry.Artifact(t, nil,
		static.NewLayer([]byte("read me"), "text/plain"),
		static.NewLayer(tarGz, ociregistry.ContentMediaType)))
	return tarGz
}

func TestLayerSelectorPicksByMediaTypeAndExtracts(t *testing.T) {
	reg := ociregistry.Start(t, ociregistry.Options{})
	pushTwoLayers(t, reg)
	r := newTestReconciler(t)
	obj := ociRepository(reg.URL("app"), nil)
	obj.Spec.LayerSelector = &v1alpha1.OCILayerSelector{MediaType: string(ociregistry.ContentMediaType)}
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	if files := storedFiles(t, r, obj); !maps.Equal(files, map[string]string{"app.yaml": "kind: ConfigMap\n"}) {
		t.Errorf("artifact holds %v, want the second layer's files", files)
	}
	if obj.Status.ObservedLayerSelector == nil || obj.Status.ObservedLayerSelector.MediaType != string(ociregistry.ContentMediaType) {
		t.Errorf("observedLayerSelector %+v", obj.Status.ObservedLayerSelector)
	}
}

func TestLayerSelectorCopyStoresTheLayerAsItIs(t *testing.T) {
	reg := ociregistry.Start(t, ociregistry.Options{})
	tarGz := pushTwoLayers(t, reg)
	r := newTestReconciler(t)
	obj := ociRepository(reg.URL("app"), nil)
	obj.Spec.LayerSelector = &v1alpha1.OCILayerSelector{MediaType: string(ociregistry.ContentMediaType)}
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	extracted := obj.Status.Artifact.Digest

	// Changing the operation alone rebuilds the artifact.
	obj.Spec.LayerSelector.Operation = v1alpha1.OCILayerCopy
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	data, digest := artifacttest.Read(t, r.Storage, obj.Status.Artifact)
	if !bytes.Equal(data, tarGz) {
		t.Error("the copied artifact is not the layer's blob")
	}
	if obj.Status.Artifact.Digest != digest || digest == extracted {
		t.Errorf("digest %s (file's %s, extracted artifact's %s)", obj.Status.Artifact.Digest, digest, extracted)
	}
}

func TestLayerFailures(t *testing.T) {
	reg := ociregistry.Start(t, ociregistry.Options{})
	pushTwoLayers(t, reg)
	reg.Push(t, "empty", "latest", ociregistry.Artifact(t, nil))
	r := newTestReconciler(t)

	noSuchType := ociRepository(reg.URL("app"), nil)
	noSuchType.Spec.LayerSelector = &v1alpha1.OCILayerSelector{MediaType: "application/x-none"}
	assertFailure(t, r.reconcileSteps(t.Context(), noSuchType), v1alpha1.OCILayerOperationFailedReason, "no layer with media type 'application/x-none'")

	// The first layer is plain text: it cannot be extracted.
	notTarGz := ociRepository(reg.URL("app"), nil)
	assertFailure(t, r.reconcileSteps(t.Context(), notTarGz), v1alpha1.OCILayerOperationFailedReason, "want a tar.gz")

	empty := ociRepository(reg.URL("empty"), nil)
	assertFailure(t, r.reconcileSteps(t.Context(), empty), v1alpha1.OCILayerOperationFailedReason, "no layers")
}

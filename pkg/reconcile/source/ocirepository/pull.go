package ocirepository

import (
	"context"
	"io"
	"os"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/artifact"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// pullArtifact fetches the planned manifest, picks its layer and stores
// it, extracted or as it is, as the object's new artifact.
func (r *Reconciler) pullArtifact(ctx context.Context, obj *v1alpha1.OCIRepository, plan *pullPlan) error {
	// By digest: the tag may have moved since it was resolved.
	ref := plan.repo.Digest(plan.revision.digest.String())
	image, err := remote.Image(ref, plan.access.options...)
	if err != nil {
		return registryError(err, "failed to pull artifact '%s'", ref)
	}
	manifest, err := image.Manifest()
	if err != nil {
		return registryError(err, "failed to read the manifest of '%s'", ref)
	}
	selection := layerSelection(obj.Spec.LayerSelector)
	desc, err := selectLayer(manifest, selection)
	if err != nil {
		return err
	}
	layer, err := image.LayerByDigest(desc.Digest)
	if err != nil {
		return registryError(err, "failed to pull layer '%s'", desc.Digest)
	}
	blob, err := layer.Compressed()
	if err != nil {
		return registryError(err, "failed to pull layer '%s'", desc.Digest)
	}
	defer blob.Close()
	fileName := plan.revision.digest.Hex + ".tar.gz"
	var stored artifact.Stored
	if selection.Operation == v1alpha1.OCILayerCopy {
		stored, err = r.copyLayer(obj, fileName, blob, desc.Digest)
	} else {
		stored, err = r.extractLayer(obj, fileName, blob, desc.Digest)
	}
	if err != nil {
		return err
	}
	r.recordArtifact(obj, stored, plan.revision, manifest.Annotations)
	return nil
}

// copyLayer stores the layer's blob as it is.
func (r *Reconciler) copyLayer(obj *v1alpha1.OCIRepository, fileName string, blob io.Reader, digest v1.Hash) (artifact.Stored, error) {
	stored, err := r.Storage.Store(kind, obj.Namespace, obj.Name, fileName, blob)
	if err != nil {
		return stored, source.FetchFailed(v1alpha1.OCILayerOperationFailedReason, "failed to copy layer '%s': %w", digest, err)
	}
	return stored, nil
}

// extractLayer unpacks the layer, a tar.gz, and archives its files minus
// those spec.ignore and .sourceignore files leave out, as Flux does.
func (r *Reconciler) extractLayer(obj *v1alpha1.OCIRepository, fileName string, blob io.Reader, digest v1.Hash) (artifact.Stored, error) {
	dir, err := os.MkdirTemp("", "ocirepository-")
	if err != nil {
		return artifact.Stored{}, err
	}
	defer os.RemoveAll(dir)
	if err := artifact.ExtractArchive(blob, "", dir); err != nil {
		return artifact.Stored{}, source.FetchFailed(v1alpha1.OCILayerOperationFailedReason, "failed to extract layer '%s' (want a tar.gz): %w", digest, err)
	}
	// The blob's digest is checked at its end, which the tar may not reach.
	if _, err := io.Copy(io.Discard, blob); err != nil {
		return artifact.Stored{}, source.FetchFailed(v1alpha1.OCILayerOperationFailedReason, "failed to read layer '%s': %w", digest, err)
	}
	exclude, err := source.ExcludeFor(dir, obj.Spec.Ignore)
	if err == nil {
		var stored artifact.Stored
		if stored, err = r.Storage.Archive(kind, obj.Namespace, obj.Name, fileName, dir, exclude); err == nil {
			return stored, nil
		}
	}
	return artifact.Stored{}, source.StorageFailed(v1alpha1.ArchiveOperationFailedReason, err)
}

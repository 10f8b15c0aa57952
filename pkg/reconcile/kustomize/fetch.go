package kustomize

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/artifact"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// fetch downloads the source's artifact through its artifact subresource,
// checks it against the digest in the source's status, and unpacks it into
// a new temporary directory, which the caller removes.
func (r *Reconciler) fetch(ctx context.Context, src sourceRef, want *v1alpha1.Artifact) (string, error) {
	body, err := r.API.Get().AbsPath("/apis", v1alpha1.GroupName, v1alpha1.SchemeGroupVersion.Version,
		"namespaces", src.namespace, src.resource, src.name, "artifact").Stream(ctx)
	if err != nil {
		return "", outcome.Failed(v1alpha1.ArtifactFailedReason, "fetching artifact of %s: %v", src, err)
	}
	defer body.Close()
	archive, err := os.CreateTemp("", "artifact-*.tar.gz")
	if err != nil {
		return "", err
	}
	defer os.Remove(archive.Name())
	defer archive.Close()
	hash := sha256.New()
	if _, err := io.Copy(io.MultiWriter(archive, hash), body); err != nil {
		return "", outcome.Failed(v1alpha1.ArtifactFailedReason, "fetching artifact of %s: %v", src, err)
	}
	if got := "sha256:" + hex.EncodeToString(hash.Sum(nil)); got != want.Digest {
		return "", outcome.Failed(v1alpha1.ArtifactFailedReason,
			"artifact of %s has digest %s, status says %s (it may have just changed)", src, got, want.Digest)
	}
	if _, err := archive.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "kustomization-")
	if err != nil {
		return "", err
	}
	if err := artifact.ExtractArchive(archive, "", dir); err != nil {
		os.RemoveAll(dir)
		return "", outcome.Failed(v1alpha1.ArtifactFailedReason, "unpacking artifact of %s: %v", src, err)
	}
	return dir, nil
}

// digestOf names bytes the way artifacts' digests do.
func digestOf(data []byte) string {
	sum := sha256.Sum256(data)
	return fmt.Sprintf("sha256:%x", sum)
}

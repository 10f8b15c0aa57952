package sourceref

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/artifact"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// Fetch downloads the artifact of ref, checks it against want, the
// artifact in the source's status, and unpacks it into dir. A changed
// artifact is refused rather than mixed up with want's revision.
func (s *Sources) Fetch(ctx context.Context, ref Ref, want *v1alpha1.Artifact, dir string) error {
	open := s.Open
	if open == nil {
		open = s.download
	}
	body, err := open(ctx, ref)
	if err != nil {
		return outcome.Failed(v1alpha1.ArtifactFailedReason, "fetching artifact of %s: %v", ref, err)
	}
	defer body.Close()
	// On disk, not in memory: an artifact may be large.
	archive, err := os.CreateTemp("", "artifact-*.tar.gz")
	if err != nil {
		return err
	}
	defer os.Remove(archive.Name())
	defer archive.Close()
	hash := sha256.New()
	if _, err := io.Copy(io.MultiWriter(archive, hash), body); err != nil {
		return outcome.Failed(v1alpha1.ArtifactFailedReason, "fetching artifact of %s: %v", ref, err)
	}
	if got := "sha256:" + hex.EncodeToString(hash.Sum(nil)); got != want.Digest {
		return outcome.Failed(v1alpha1.ArtifactFailedReason,
			"artifact of %s has digest %s, status says %s (it may have just changed)", ref, got, want.Digest)
	}
	if _, err := archive.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if err := artifact.ExtractArchive(archive, "", dir); err != nil {
		return outcome.Failed(v1alpha1.ArtifactFailedReason, "unpacking artifact of %s: %v", ref, err)
	}
	return nil
}

// download streams the artifact from the source's artifact subresource,
// which serves what the source's status names, as the API guards it.
func (s *Sources) download(ctx context.Context, ref Ref) (io.ReadCloser, error) {
	k, _ := v1alpha1.KindNamed(ref.Kind)
	return s.API.Get().AbsPath("/apis", v1alpha1.GroupName, v1alpha1.SchemeGroupVersion.Version,
		"namespaces", ref.Namespace, k.Resource, ref.Name, "artifact").Stream(ctx)
}

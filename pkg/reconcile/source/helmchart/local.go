package helmchart

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/Masterminds/semver/v3"
	"helm.sh/helm/v3/pkg/chart/loader"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/artifact"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// sourceArtifact is the artifact of the GitRepository or Bucket that
// spec.sourceRef names.
func (r *Reconciler) sourceArtifact(obj *v1alpha1.HelmChart) (*v1alpha1.Artifact, error) {
	ref := obj.Spec.SourceRef
	var a *v1alpha1.Artifact
	var err error
	if ref.Kind == v1alpha1.GitRepositoryKind {
		var repo *v1alpha1.GitRepository
		if repo, err = r.Sources.GitRepositories.GitRepositories(obj.Namespace).Get(ref.Name); err == nil {
			a = repo.Status.Artifact
		}
	} else {
		var bucket *v1alpha1.Bucket
		if bucket, err = r.Sources.Buckets.Buckets(obj.Namespace).Get(ref.Name); err == nil {
			a = bucket.Status.Artifact
		}
	}
	if err != nil {
		return nil, source.FetchFailed(sourceUnavailable, "failed to get source %s '%s/%s': %v", ref.Kind, obj.Namespace, ref.Name, err)
	}
	if a == nil || !artifact.BelongsTo(a.Path, ref.Kind, obj.Namespace, ref.Name) || !r.Storage.Exists(a.Path) {
		return nil, source.FetchFailed(noSourceArtifact, "%s '%s' has no artifact yet", ref.Kind, ref.Name)
	}
	return a, nil
}

// packageFromSource packages the chart directory at spec.chart of the
// source's artifact. Nothing is extracted when the stored artifact was made
// from this source revision and spec, and nothing stored when the stored
// artifact already is this chart version (which, with strategy Revision,
// carries the source revision).
func (r *Reconciler) packageFromSource(obj *v1alpha1.HelmChart, src *v1alpha1.Artifact) error {
	if sourceUnchanged(obj, src) {
		return nil
	}
	tmp, err := tempDir()
	if err != nil {
		return packageFailed("%v", err)
	}
	defer removeAll(tmp)
	if err := r.extractVerified(src, tmp); err != nil {
		return source.FetchFailed(noSourceArtifact, "source artifact of %s '%s': %v", obj.Spec.SourceRef.Kind, obj.Spec.SourceRef.Name, err)
	}
	chartPath := strings.TrimPrefix(path.Clean("/"+obj.Spec.Chart), "/")
	chart, err := loader.LoadDir(filepath.Join(tmp, filepath.FromSlash(chartPath)))
	if err != nil {
		return packageFailed("no chart at spec.chart '%s' of %s '%s': %v", obj.Spec.Chart, obj.Spec.SourceRef.Kind, obj.Spec.SourceRef.Name, err)
	}
	if obj.Spec.ReconcileStrategy == v1alpha1.ReconcileStrategyRevision {
		if chart.Metadata.Version, err = withRevisionMetadata(chart.Metadata.Version, src.Revision); err != nil {
			return packageFailed("chart '%s': %v", chart.Name(), err)
		}
	}
	obj.Status.ObservedSourceArtifactRevision = src.Revision
	if upToDate(obj, chart.Name(), chart.Metadata.Version) {
		return nil
	}
	return r.storeChart(obj, chart, nil, sourceFiles(tmp))
}

// extractVerified extracts the source artifact into dir after checking
// that its bytes have the digest the source's status gives.
func (r *Reconciler) extractVerified(a *v1alpha1.Artifact, dir string) error {
	f, err := r.Storage.Open(a.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	if digest := "sha256:" + hex.EncodeToString(sum[:]); digest != a.Digest {
		return fmt.Errorf("its digest is %s, not the %s its status gives", digest, a.Digest)
	}
	return artifact.ExtractArchive(bytes.NewReader(data), "", dir)
}

// withRevisionMetadata is version with the first 12 hex digits of the
// source revision ('main@sha1:<hex>', 'sha256:<hex>') as build metadata,
// as Flux's Revision strategy makes it.
func withRevisionMetadata(version, revision string) (string, error) {
	v, err := semver.NewVersion(version)
	if err != nil {
		return "", fmt.Errorf("version '%s' is not semver: %v", version, err)
	}
	digest := revision[strings.LastIndex(revision, ":")+1:]
	digest = digest[:min(len(digest), 12)]
	withMetadata, err := v.SetMetadata(digest)
	if err != nil {
		return "", err
	}
	return withMetadata.String(), nil
}

// sourceUnchanged reports whether the stored artifact was made from this
// source revision with this generation's spec: then the source is not even
// extracted.
func sourceUnchanged(obj *v1alpha1.HelmChart, src *v1alpha1.Artifact) bool {
	a := obj.Status.Artifact
	return a != nil && obj.Status.ObservedSourceArtifactRevision == src.Revision &&
		obj.Status.ObservedGeneration == obj.Generation && upToDate(obj, obj.Status.ObservedChartName, a.Revision)
}

func tempDir() (string, error) { return os.MkdirTemp("", "helmchart-") }

func removeAll(dir string) { _ = os.RemoveAll(dir) }

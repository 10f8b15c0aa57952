package helmchart

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"

	repo "helm.sh/helm/v4/pkg/repo/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
	"gitops.io/apiserver/pkg/reconcile/source/helmrepository"
)

// maxChartSize is the largest chart downloaded, Flux's default.
const maxChartSize = 10 << 20

// pullFromIndex finds the chart version matching spec.version in the
// repository's stored index and downloads it, unless the stored artifact
// already is that version.
func (r *Reconciler) pullFromIndex(ctx context.Context, obj *v1alpha1.HelmChart, repository *v1alpha1.HelmRepository) error {
	index, err := r.loadIndex(repository)
	if err != nil {
		return err
	}
	chartVersion, err := index.Get(obj.Spec.Chart, versionOf(obj))
	if err != nil {
		return pullFailed("invalid chart reference: no '%s' chart with version matching '%s' in HelmRepository '%s': %v",
			obj.Spec.Chart, versionOf(obj), repository.Name, err)
	}
	obj.Status.ObservedSourceArtifactRevision = repository.Status.Artifact.Revision
	if upToDate(obj, chartVersion.Name, chartVersion.Version) {
		return nil
	}
	if len(chartVersion.URLs) == 0 {
		return pullFailed("chart '%s' version '%s' has no download URL in the index", chartVersion.Name, chartVersion.Version)
	}
	target, err := repo.ResolveReferenceURL(repository.Spec.URL, chartVersion.URLs[0])
	if err != nil {
		return pullFailed("invalid URL of chart '%s' version '%s': %v", chartVersion.Name, chartVersion.Version, err)
	}
	access, err := helmrepository.NewAccess(ctx, r.Secrets, repository)
	if err != nil {
		return repositoryFailed(err, pullFailed("%v", err))
	}
	data, err := access.Get(ctx, target, maxChartSize)
	if err != nil {
		return repositoryFailed(err, pullFailed("failed to download chart '%s' version '%s': %v",
			chartVersion.Name, chartVersion.Version, err))
	}
	if want := chartVersion.Digest; want != "" {
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != want {
			return pullFailed("chart '%s' version '%s' does not have the digest the index gives", chartVersion.Name, chartVersion.Version)
		}
	}
	chart, err := loadArchive(data)
	if err != nil {
		return pullFailed("chart '%s' version '%s' from HelmRepository '%s': %v", chartVersion.Name, chartVersion.Version, repository.Name, err)
	}
	return r.storeChart(obj, chart, data, chartFilesOf(chart))
}

// loadIndex reads the index a HelmRepository stored as its artifact.
func (r *Reconciler) loadIndex(repository *v1alpha1.HelmRepository) (*repo.IndexFile, error) {
	a := repository.Status.Artifact
	if a == nil || !r.Storage.Exists(a.Path) {
		return nil, source.FetchFailed(v1alpha1.NoSourceArtifactReason, "HelmRepository '%s' has no index artifact yet", repository.Name)
	}
	f, err := r.Storage.Open(a.Path)
	if err != nil {
		return nil, source.FetchFailed(v1alpha1.NoSourceArtifactReason, "opening the index of HelmRepository '%s': %v", repository.Name, err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err == nil {
		var index *repo.IndexFile
		if index, err = helmrepository.LoadIndex(data); err == nil {
			return index, nil
		}
	}
	return nil, source.FetchFailed(v1alpha1.NoSourceArtifactReason, "reading the index of HelmRepository '%s': %v", repository.Name, err)
}

func versionOf(obj *v1alpha1.HelmChart) string {
	if obj.Spec.Version == "" {
		return v1alpha1.DefaultHelmChartVersion
	}
	return obj.Spec.Version
}

package helmchart

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/Masterminds/semver/v3"
	"helm.sh/helm/v4/pkg/chart/v2/loader"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
	"gitops.io/apiserver/pkg/reconcile/sourceref"
)

// helmRepository is the HelmRepository ref names.
func (r *Reconciler) helmRepository(ref sourceref.Ref) (*v1alpha1.HelmRepository, error) {
	src, err := r.Sources.Get(ref)
	if err != nil {
		return nil, err
	}
	repo, ok := src.(*v1alpha1.HelmRepository)
	if !ok {
		return nil, fmt.Errorf("%s is a %T", ref, src)
	}
	return repo, nil
}

// sourceArtifact is the artifact of the GitRepository or Bucket ref names,
// reported under the HelmChart's own reasons when there is none.
func (r *Reconciler) sourceArtifact(ref sourceref.Ref) (*v1alpha1.Artifact, error) {
	a, err := r.Sources.Artifact(ref)
	var missing *sourceref.Missing
	if errors.As(err, &missing) {
		if missing.NotFound == nil {
			return nil, source.FetchFailed(v1alpha1.NoSourceArtifactReason, "%s '%s' has no artifact yet", ref.Kind, ref.Name)
		}
		err = missing.NotFound
	}
	if err != nil {
		return nil, source.FetchFailed(v1alpha1.SourceUnavailableReason, "failed to get source %s '%s/%s': %v", ref.Kind, ref.Namespace, ref.Name, err)
	}
	return a, nil
}

// packageFromSource packages the chart directory at spec.chart of the
// source's artifact. Nothing is extracted when the stored artifact was made
// from this source revision and spec, and nothing stored when the stored
// artifact already is this chart version (which, with strategy Revision,
// carries the source revision).
func (r *Reconciler) packageFromSource(ctx context.Context, obj *v1alpha1.HelmChart, ref sourceref.Ref, src *v1alpha1.Artifact) error {
	if sourceUnchanged(obj, src) {
		return nil
	}
	tmp, err := tempDir()
	if err != nil {
		return packageFailed("%v", err)
	}
	defer removeAll(tmp)
	if err := r.Sources.Fetch(ctx, ref, src, tmp); err != nil {
		return source.FetchFailed(v1alpha1.NoSourceArtifactReason, "source artifact of %s '%s': %v", obj.Spec.SourceRef.Kind, obj.Spec.SourceRef.Name, err)
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

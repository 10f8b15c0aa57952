package helmrelease

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"

	"helm.sh/helm/v4/pkg/chart/v2/loader"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/pkg/reconcile/sourceref"
)

// chartRefOf is spec.chartRef as written; the zero Ref without one.
func chartRefOf(obj *v1alpha1.HelmRelease) sourceref.Ref {
	if ref := obj.Spec.ChartRef; ref != nil {
		return sourceref.Ref{Kind: ref.Kind, Namespace: ref.Namespace, Name: ref.Name}
	}
	return sourceref.Ref{}
}

// resolveChart finds the artifact of the chart: spec.chartRef's, or that
// of the HelmChart made from spec.chart, which it creates or updates first.
func (r *Reconciler) resolveChart(ctx context.Context, obj *v1alpha1.HelmRelease, run *run) error {
	var err error
	switch {
	case obj.Spec.ChartRef != nil:
		// The HelmChart of an earlier spec.chart is no longer the chart.
		if err := r.deleteHelmChart(ctx, obj); err != nil {
			return outcome.Failed(v1alpha1.ArtifactFailedReason, "%v", err)
		}
		obj.Status.HelmChart = ""
		run.src, err = sourceref.Resolve(v1alpha1.HelmReleaseChartRef, obj.Namespace, chartRefOf(obj), r.NoCrossNamespaceRefs)
	case obj.Spec.Chart != nil:
		run.src, err = r.ensureHelmChart(ctx, obj, run.as)
	default:
		err = outcome.Stalled(v1alpha1.ArtifactFailedReason, "spec: neither chart nor chartRef is set")
	}
	if err != nil {
		return err
	}
	// A chart in another namespace is used only when the identity the
	// HelmRelease acts as may read its artifact there.
	if obj.Spec.ChartRef != nil && run.src.Namespace != obj.Namespace {
		err := r.Identities.CheckSource(ctx, v1alpha1.HelmReleaseChartRef.Path, run.as, run.src.Kind, run.src.Namespace, run.src.Name)
		if err != nil {
			return err
		}
	}
	run.artifact, err = r.Sources.Artifact(run.src)
	return err
}

// loadChart fetches the chart's artifact, digest checked, and loads it.
// An OCI chart's version gets the artifact's digest, as Flux does, so a
// tag pushed again upgrades the release.
func (r *Reconciler) loadChart(ctx context.Context, obj *v1alpha1.HelmRelease, run *run) error {
	dir, err := os.MkdirTemp("", "helmrelease-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := r.Sources.Fetch(ctx, run.src, run.artifact, dir); err != nil {
		return err
	}
	root, err := chartRoot(dir)
	if err != nil {
		return outcome.Failed(v1alpha1.ArtifactFailedReason, "artifact of %s: %v", run.src, err)
	}
	if run.chart, err = loader.LoadDir(root); err != nil {
		return outcome.Failed(v1alpha1.ArtifactFailedReason, "loading the chart of %s: %v", run.src, err)
	}
	if run.src.Kind == v1alpha1.OCIRepositoryKind {
		if hex, ok := strings.CutPrefix(run.artifact.Digest, "sha256:"); ok && len(hex) >= 12 {
			run.chart.Metadata.Version += "+" + hex[:12]
		}
		run.ociDigest = run.artifact.Digest
	}
	return nil
}

// chartRoot is the directory of dir that holds Chart.yaml: dir itself, or
// its one subdirectory, as a packaged chart unpacks.
func chartRoot(dir string) (string, error) {
	if _, err := os.Stat(filepath.Join(dir, "Chart.yaml")); err == nil {
		return dir, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if e.IsDir() {
			if _, err := os.Stat(filepath.Join(dir, e.Name(), "Chart.yaml")); err == nil {
				return filepath.Join(dir, e.Name()), nil
			}
		}
	}
	return "", errors.New("no Chart.yaml at its root or in a directory of it")
}

package helmchart

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/artifact/artifacttest"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

const (
	firstCommit  = "main@sha1:1111111111aaaaaaaaaa2222222222bbbbbbbbbb"
	secondCommit = "main@sha1:3333333333cccccccccc4444444444dddddddddd"
	thirdCommit  = "main@sha1:5555555555eeeeeeeeee6666666666ffffffffff"
)

// chartSource is a Git checkout with a chart at charts/app and values for
// an environment elsewhere.
func chartSource(version, replicas string) map[string]string {
	return map[string]string{
		"charts/app/Chart.yaml":                "apiVersion: v2\nname: app\nversion: " + version + "\n",
		"charts/app/values.yaml":               "replicas: " + replicas + "\nimage:\n  tag: v1\n",
		"charts/app/templates/deployment.yaml": "kind: Deployment\n",
		"env/prod.yaml":                        "image:\n  tag: v2\n",
	}
}

func TestChartFromGitRepositoryIsPackagedWithValuesFiles(t *testing.T) {
	r, sources := newTestReconciler(t)
	sources.gitRepository("app", firstCommit, chartSource("0.1.0", "1"))
	obj := helmChart("./charts/app", "", v1alpha1.GitRepositoryKind, "app")
	obj.Spec.ValuesFiles = []string{"charts/app/values.yaml", "env/prod.yaml"}

	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	a := obj.Status.Artifact
	if a.Revision != "0.1.0" || obj.Status.ObservedChartName != "app" || obj.Status.ObservedSourceArtifactRevision != firstCommit {
		t.Errorf("artifact %+v, observed chart %q source %q", a, obj.Status.ObservedChartName, obj.Status.ObservedSourceArtifactRevision)
	}
	stored, _ := artifacttest.Read(t, r.Storage, a)
	packaged, err := loadArchive(stored)
	if err != nil {
		t.Fatal(err)
	}
	values := string(chartFile(packaged, "values.yaml"))
	if !strings.Contains(values, "replicas: 1") || !strings.Contains(values, "tag: v2") {
		t.Errorf("packaged values.yaml:\n%s", values)
	}
	if len(packaged.Templates) != 1 {
		t.Errorf("packaged templates %v", packaged.Templates)
	}
	summarize(obj, nil)
	if ready := apimeta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ReadyCondition); ready == nil ||
		ready.Message != "packaged 'app' chart with version '0.1.0'" {
		t.Errorf("Ready %+v", ready)
	}
}

func TestChartVersionStrategyKeepsTheArtifactUntilTheVersionChanges(t *testing.T) {
	r, sources := newTestReconciler(t)
	sources.gitRepository("app", firstCommit, chartSource("0.1.0", "1"))
	obj := helmChart("charts/app", "", v1alpha1.GitRepositoryKind, "app")
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	summarize(obj, nil)
	first := *obj.Status.Artifact

	sources.gitRepository("app", secondCommit, chartSource("0.1.0", "2"))
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	if obj.Status.Artifact.Digest != first.Digest || obj.Status.ObservedSourceArtifactRevision != secondCommit {
		t.Errorf("a new commit with the same chart version: artifact %+v, source %s", obj.Status.Artifact, obj.Status.ObservedSourceArtifactRevision)
	}

	sources.gitRepository("app", thirdCommit, chartSource("0.2.0", "2"))
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	if obj.Status.Artifact.Revision != "0.2.0" {
		t.Errorf("a new chart version gave revision %s", obj.Status.Artifact.Revision)
	}
}

func TestRevisionStrategyAddsTheCommitToTheVersion(t *testing.T) {
	r, sources := newTestReconciler(t)
	sources.gitRepository("app", firstCommit, chartSource("0.1.0", "1"))
	obj := helmChart("charts/app", "", v1alpha1.GitRepositoryKind, "app")
	obj.Spec.ReconcileStrategy = v1alpha1.ReconcileStrategyRevision
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	if got := obj.Status.Artifact.Revision; got != "0.1.0+1111111111aa" {
		t.Errorf("revision %s, want 0.1.0+1111111111aa", got)
	}
	summarize(obj, nil)
	sources.gitRepository("app", secondCommit, chartSource("0.1.0", "1"))
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	if got := obj.Status.Artifact.Revision; got != "0.1.0+3333333333cc" {
		t.Errorf("after a new commit: revision %s, want 0.1.0+3333333333cc", got)
	}
}

func TestTamperedSourceArtifactIsRefused(t *testing.T) {
	r, sources := newTestReconciler(t)
	repo := sources.gitRepository("app", firstCommit, chartSource("0.1.0", "1"))
	path := filepath.Join(r.Storage.Root, filepath.FromSlash(repo.Status.Artifact.Path))
	if err := os.WriteFile(path, []byte("not what was stored"), 0o644); err != nil {
		t.Fatal(err)
	}
	obj := helmChart("charts/app", "", v1alpha1.GitRepositoryKind, "app")
	err := r.reconcileSteps(t.Context(), obj)
	if err == nil || !strings.Contains(err.Error(), "digest") || obj.Status.Artifact != nil {
		t.Errorf("a source artifact with another digest gave %v, artifact %+v", err, obj.Status.Artifact)
	}
}

func TestNoChartAtThePathIsChartPackageFailed(t *testing.T) {
	r, sources := newTestReconciler(t)
	sources.gitRepository("app", firstCommit, chartSource("0.1.0", "1"))
	obj := helmChart("charts/missing", "", v1alpha1.GitRepositoryKind, "app")
	err := r.reconcileSteps(t.Context(), obj)
	if outcome.Of(err, v1alpha1.ChartPullFailedReason).Reason != v1alpha1.ChartPackageFailedReason || !strings.Contains(err.Error(), "charts/missing") {
		t.Errorf("got %v, want ChartPackageFailed naming spec.chart", err)
	}
}

func TestChartFromBucketWithRevisionStrategy(t *testing.T) {
	r, sources := newTestReconciler(t)
	dir := t.TempDir()
	for name, content := range chartSource("1.2.3", "1") {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	stored, err := r.Storage.Archive(v1alpha1.BucketKind, "ns", "bucket", "b.tar.gz", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	revision := "sha256:abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"
	sources.add(&v1alpha1.Bucket{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "bucket"},
		Status: v1alpha1.BucketStatus{Artifact: &v1alpha1.Artifact{
			Path: stored.Path, Digest: stored.Digest, Revision: revision}},
	})
	obj := helmChart("charts/app", "", v1alpha1.BucketKind, "bucket")
	obj.Spec.ReconcileStrategy = v1alpha1.ReconcileStrategyRevision
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	if got := obj.Status.Artifact.Revision; got != "1.2.3+abcdef012345" {
		t.Errorf("revision %s, want 1.2.3+abcdef012345", got)
	}
}

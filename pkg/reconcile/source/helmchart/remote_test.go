package helmchart

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	apimeta "k8s.io/apimachinery/pkg/api/meta"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/artifact/artifacttest"
	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/pkg/reconcile/source/helmrepository/helmrepotest"
)

func TestChartFromHelmRepositoryIsTheHighestMatchingVersion(t *testing.T) {
	server := helmrepotest.New(t, "", "", false)
	server.Publish(t, "podinfo", "1.0.0", "")
	wanted := server.Publish(t, "podinfo", "1.1.0", "replicas: 2\n")
	server.Publish(t, "podinfo", "2.0.0", "")
	r, sources := newTestReconciler(t)
	repo := sources.helmRepository("charts", server.URL)
	obj := helmChart("podinfo", "<2.0.0", v1alpha1.HelmRepositoryKind, "charts")

	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	a := obj.Status.Artifact
	sum := sha256.Sum256(wanted)
	if a.Revision != "1.1.0" || a.Digest != "sha256:"+hex.EncodeToString(sum[:]) {
		t.Errorf("artifact %+v; want revision 1.1.0 with the digest of the published chart", a)
	}
	// Without valuesFiles the chart is kept as the repository serves it.
	if stored, _ := artifacttest.Read(t, r.Storage, a); !bytes.Equal(stored, wanted) {
		t.Error("the stored chart differs from the published one")
	}
	if obj.Status.ObservedChartName != "podinfo" || obj.Status.ObservedSourceArtifactRevision != repo.Status.Artifact.Revision {
		t.Errorf("observed chart %q source revision %q", obj.Status.ObservedChartName, obj.Status.ObservedSourceArtifactRevision)
	}
	if a.URL != "/apis/gitops.io/v1alpha1/namespaces/ns/helmcharts/app/artifact" || obj.Status.URL != a.URL {
		t.Errorf("artifact URL %s, status.url %s", a.URL, obj.Status.URL)
	}
	summarize(obj, nil)
	ready := apimeta.FindStatusCondition(obj.Status.Conditions, v1alpha1.ReadyCondition)
	if ready == nil || ready.Reason != v1alpha1.ChartPullSucceededReason || ready.Message != "pulled 'podinfo' chart with version '1.1.0'" {
		t.Errorf("Ready %+v", ready)
	}
}

func TestSameVersionIsNotPulledAgainAndANewOneIs(t *testing.T) {
	server := helmrepotest.New(t, "", "", false)
	server.Publish(t, "podinfo", "1.0.0", "")
	r, sources := newTestReconciler(t)
	sources.helmRepository("charts", server.URL)
	obj := helmChart("podinfo", "*", v1alpha1.HelmRepositoryKind, "charts")
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	first := *obj.Status.Artifact
	path := filepath.Join(r.Storage.Root, first.Path)
	before, _ := os.Stat(path)

	// Another chart in the index changes its digest, not podinfo's version.
	server.Publish(t, "other", "0.1.0", "")
	sources.helmRepository("charts", server.URL)
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(path)
	if obj.Status.Artifact.Digest != first.Digest || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("the same version was stored again: %+v", obj.Status.Artifact)
	}

	server.Publish(t, "podinfo", "1.0.1", "")
	sources.helmRepository("charts", server.URL)
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	if obj.Status.Artifact.Revision != "1.0.1" {
		t.Errorf("revision %s after publishing 1.0.1", obj.Status.Artifact.Revision)
	}
}

func TestValuesFilesOfARemoteChartAreMergedInOrder(t *testing.T) {
	server := helmrepotest.New(t, "", "", false)
	c := helmrepotest.NewChart("podinfo", "1.0.0", "replicas: 1\nimage:\n  tag: v1\n  pull: Always\n")
	c.Files = append(c.Files, &common.File{Name: "values-prod.yaml", Data: []byte("image:\n  tag: v2\n")})
	server.PublishChart(t, c)
	r, sources := newTestReconciler(t)
	sources.helmRepository("charts", server.URL)
	obj := helmChart("podinfo", "1.0.0", v1alpha1.HelmRepositoryKind, "charts")
	obj.Spec.ValuesFiles = []string{"values.yaml", "values-prod.yaml"}

	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	stored, _ := artifacttest.Read(t, r.Storage, obj.Status.Artifact)
	packaged, err := loadArchive(stored)
	if err != nil {
		t.Fatal(err)
	}
	values := string(chartFile(packaged, "values.yaml"))
	for _, want := range []string{"replicas: 1", "tag: v2", "pull: Always"} {
		if !strings.Contains(values, want) {
			t.Errorf("merged values.yaml lacks %q:\n%s", want, values)
		}
	}
	if got := obj.Status.ObservedValuesFiles; len(got) != 2 {
		t.Errorf("observedValuesFiles %v", got)
	}

	obj.Spec.ValuesFiles = []string{"values.yaml", "values-missing.yaml"}
	err = r.reconcileSteps(t.Context(), obj)
	if failure := outcome.Of(err, v1alpha1.ChartPullFailedReason); err == nil || failure.Reason != v1alpha1.ChartPackageFailedReason || !strings.Contains(err.Error(), "values-missing.yaml") {
		t.Errorf("a missing values file gave %v, want ChartPackageFailed naming it", err)
	}
	obj.Spec.IgnoreMissingValuesFiles = true
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Errorf("with ignoreMissingValuesFiles: %v", err)
	}
}

func TestMissingSourceOrVersionSaysSo(t *testing.T) {
	server := helmrepotest.New(t, "", "", false)
	server.Publish(t, "podinfo", "1.0.0", "")
	r, sources := newTestReconciler(t)
	sources.helmRepository("charts", server.URL)

	obj := helmChart("podinfo", "*", v1alpha1.HelmRepositoryKind, "elsewhere")
	if err := r.reconcileSteps(t.Context(), obj); outcome.Of(err, v1alpha1.ChartPullFailedReason).Reason != v1alpha1.SourceUnavailableReason {
		t.Errorf("a missing HelmRepository gave %v", err)
	}
	obj = helmChart("podinfo", ">=2", v1alpha1.HelmRepositoryKind, "charts")
	err := r.reconcileSteps(t.Context(), obj)
	if outcome.Of(err, v1alpha1.ChartPullFailedReason).Reason != v1alpha1.ChartPullFailedReason || !strings.Contains(err.Error(), ">=2") {
		t.Errorf("a version no chart has gave %v", err)
	}
}

func chartFile(c *chart.Chart, name string) []byte {
	for _, f := range c.Raw {
		if f.Name == name {
			return f.Data
		}
	}
	return nil
}

func TestRefusedChartDownloadIsAuthenticationFailed(t *testing.T) {
	server := helmrepotest.New(t, "user", "s3cret", false)
	server.Publish(t, "podinfo", "1.0.0", "")
	r, sources := newTestReconciler(t)
	// The index was fetched with credentials; the HelmRepository has none.
	repo := sources.helmRepository("charts", strings.Replace(server.URL, "http://", "http://user:s3cret@", 1))
	repo.Spec.URL = server.URL
	sources.add(repo)

	obj := helmChart("podinfo", "*", v1alpha1.HelmRepositoryKind, "charts")
	err := r.reconcileSteps(t.Context(), obj)
	if failure := outcome.Of(err, v1alpha1.ChartPullFailedReason); failure.Reason != "AuthenticationFailed" || !strings.Contains(err.Error(), "401") {
		t.Errorf("a refused download gave %v (reason %q), want AuthenticationFailed naming the 401", err, failure.Reason)
	}
}

package v1alpha1_test

import (
	"reflect"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"

	"gitops.io/apiserver/pkg/apis/gitops/install"
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// decode reads a manifest the way the API server does, defaults included.
func decode(t *testing.T, manifest string) runtime.Object {
	t.Helper()
	scheme := runtime.NewScheme()
	install.Install(scheme)
	codecs := serializer.NewCodecFactory(scheme)
	obj, _, err := codecs.UniversalDecoder(v1alpha1.SchemeGroupVersion).Decode([]byte(manifest), nil, nil)
	if err != nil {
		t.Fatalf("decoding: %v", err)
	}
	return obj
}

func TestDecodingAFluxGitRepositoryAppliesFluxDefaults(t *testing.T) {
	obj := decode(t, `
apiVersion: gitops.io/v1alpha1
kind: GitRepository
metadata: {name: podinfo, namespace: flux-system}
spec:
  interval: 5m
  url: https://github.com/stefanprodan/podinfo
  verify:
    secretRef: {name: pgp-public-keys}
`)
	repo, ok := obj.(*v1alpha1.GitRepository)
	if !ok {
		t.Fatalf("decoded a %T", obj)
	}
	if repo.Spec.Timeout == nil || repo.Spec.Timeout.Duration != 60*time.Second {
		t.Errorf("spec.timeout = %v, want 60s", repo.Spec.Timeout)
	}
	if repo.Spec.Verification.Mode != v1alpha1.GitVerifyHEAD {
		t.Errorf("spec.verify.mode = %q, want HEAD", repo.Spec.Verification.Mode)
	}
	if repo.Spec.Reference != nil {
		t.Errorf("spec.ref = %+v, want it left to the reconciler as in Flux", repo.Spec.Reference)
	}
}

func TestDecodingKeepsExplicitValues(t *testing.T) {
	obj := decode(t, `
apiVersion: gitops.io/v1alpha1
kind: HelmChart
metadata: {name: podinfo, namespace: flux-system}
spec:
  chart: podinfo
  version: "6.x"
  reconcileStrategy: Revision
  interval: 5m
  sourceRef: {kind: HelmRepository, name: podinfo}
`)
	chart := obj.(*v1alpha1.HelmChart)
	if chart.Spec.Version != "6.x" || chart.Spec.ReconcileStrategy != v1alpha1.ReconcileStrategyRevision {
		t.Errorf("explicit values overwritten: version %q, strategy %q", chart.Spec.Version, chart.Spec.ReconcileStrategy)
	}
}

func TestGitRepositoryKeepsExplicitTimeout(t *testing.T) {
	repo := &v1alpha1.GitRepository{Spec: v1alpha1.GitRepositorySpec{Timeout: &v1alpha1.Duration{Duration: 2 * time.Minute}}}
	v1alpha1.SetObjectDefaults_GitRepository(repo)
	if repo.Spec.Timeout.Duration != 2*time.Minute {
		t.Errorf("spec.timeout = %v, want the explicit 2m", repo.Spec.Timeout.Duration)
	}
}

func TestSourcesDefaultTimeoutAndProvider(t *testing.T) {
	oci := &v1alpha1.OCIRepository{}
	v1alpha1.SetObjectDefaults_OCIRepository(oci)
	bucket := &v1alpha1.Bucket{}
	v1alpha1.SetObjectDefaults_Bucket(bucket)
	helm := &v1alpha1.HelmRepository{}
	v1alpha1.SetObjectDefaults_HelmRepository(helm)

	for name, got := range map[string]struct {
		provider string
		timeout  *v1alpha1.Duration
	}{
		"OCIRepository":  {oci.Spec.Provider, oci.Spec.Timeout},
		"Bucket":         {bucket.Spec.Provider, bucket.Spec.Timeout},
		"HelmRepository": {helm.Spec.Provider, helm.Spec.Timeout},
	} {
		if got.provider != v1alpha1.CloudProviderGeneric {
			t.Errorf("%s spec.provider = %q, want generic", name, got.provider)
		}
		if got.timeout == nil || got.timeout.Duration != time.Minute {
			t.Errorf("%s spec.timeout = %v, want 60s", name, got.timeout)
		}
	}
	if helm.Spec.Type != v1alpha1.HelmRepositoryTypeDefault {
		t.Errorf("HelmRepository spec.type = %q, want default", helm.Spec.Type)
	}
}

func TestHelmChartDefaultsToLatestVersionAndChartVersionStrategy(t *testing.T) {
	chart := &v1alpha1.HelmChart{Spec: v1alpha1.HelmChartSpec{Verify: &v1alpha1.HelmChartVerification{}}}
	v1alpha1.SetObjectDefaults_HelmChart(chart)
	if chart.Spec.Version != "*" || chart.Spec.ReconcileStrategy != v1alpha1.ReconcileStrategyChartVersion {
		t.Errorf("version %q, strategy %q; want * and ChartVersion", chart.Spec.Version, chart.Spec.ReconcileStrategy)
	}
	if chart.Spec.Verify.Provider != v1alpha1.VerificationProviderCosign {
		t.Errorf("spec.verify.provider = %q, want cosign", chart.Spec.Verify.Provider)
	}
}

func TestHelmReleaseDefaultsItsChartTemplateAndUninstall(t *testing.T) {
	release := &v1alpha1.HelmRelease{Spec: v1alpha1.HelmReleaseSpec{
		Chart:     &v1alpha1.HelmChartTemplate{},
		Uninstall: &v1alpha1.Uninstall{},
	}}
	v1alpha1.SetObjectDefaults_HelmRelease(release)
	if release.Spec.Chart.Spec.Version != "*" || release.Spec.Chart.Spec.ReconcileStrategy != v1alpha1.ReconcileStrategyChartVersion {
		t.Errorf("chart template not defaulted: %+v", release.Spec.Chart.Spec)
	}
	if got := release.Spec.Uninstall.DeletionPropagation; got == nil || *got != "background" {
		t.Errorf("spec.uninstall.deletionPropagation = %v, want background", got)
	}
}

func TestHelmReleaseWithoutUninstallGetsNoUninstallSection(t *testing.T) {
	release := &v1alpha1.HelmRelease{Spec: v1alpha1.HelmReleaseSpec{ChartRef: &v1alpha1.CrossNamespaceSourceReference{}}}
	v1alpha1.SetObjectDefaults_HelmRelease(release)
	if release.Spec.Uninstall != nil || release.Spec.Chart != nil {
		t.Errorf("defaulting added sections Flux does not add: %+v", release.Spec)
	}
}

func TestImageRepositoryExcludesSignatureTagsOnlyWhenListIsAbsent(t *testing.T) {
	absent := &v1alpha1.ImageRepository{}
	v1alpha1.SetObjectDefaults_ImageRepository(absent)
	if !reflect.DeepEqual(absent.Spec.ExclusionList, []string{`^.*\.sig$`}) {
		t.Errorf("spec.exclusionList = %q, want the signature-tag rule", absent.Spec.ExclusionList)
	}

	empty := &v1alpha1.ImageRepository{Spec: v1alpha1.ImageRepositorySpec{ExclusionList: []string{}}}
	v1alpha1.SetObjectDefaults_ImageRepository(empty)
	if len(empty.Spec.ExclusionList) != 0 {
		t.Errorf("an explicit empty spec.exclusionList became %q", empty.Spec.ExclusionList)
	}
}

func TestEmptyExclusionListSurvivesEncoding(t *testing.T) {
	obj := decode(t, `{"apiVersion":"gitops.io/v1alpha1","kind":"ImageRepository",
		"metadata":{"name":"app","namespace":"apps"},
		"spec":{"image":"ghcr.io/org/app","interval":"5m","exclusionList":[]}}`)
	scheme := runtime.NewScheme()
	install.Install(scheme)
	codecs := serializer.NewCodecFactory(scheme)
	encoded, err := runtime.Encode(codecs.LegacyCodec(v1alpha1.SchemeGroupVersion), obj)
	if err != nil {
		t.Fatal(err)
	}
	again := decode(t, string(encoded)).(*v1alpha1.ImageRepository)
	if len(again.Spec.ExclusionList) != 0 {
		t.Errorf("after a round trip spec.exclusionList = %q, want it still empty", again.Spec.ExclusionList)
	}
}

func TestImagePolicyDefaults(t *testing.T) {
	policy := &v1alpha1.ImagePolicy{Spec: v1alpha1.ImagePolicySpec{Policy: v1alpha1.ImagePolicyChoice{
		Numerical: &v1alpha1.NumericalPolicy{},
	}}}
	v1alpha1.SetObjectDefaults_ImagePolicy(policy)
	if policy.Spec.DigestReflectionPolicy != v1alpha1.ReflectNever {
		t.Errorf("spec.digestReflectionPolicy = %q, want Never", policy.Spec.DigestReflectionPolicy)
	}
	if policy.Spec.Policy.Numerical.Order != v1alpha1.SortOrderAscending {
		t.Errorf("spec.policy.numerical.order = %q, want asc", policy.Spec.Policy.Numerical.Order)
	}
}

func TestImageUpdateAutomationDefaultsToSettersOnAGitRepository(t *testing.T) {
	automation := &v1alpha1.ImageUpdateAutomation{}
	v1alpha1.SetObjectDefaults_ImageUpdateAutomation(automation)
	if automation.Spec.SourceRef.Kind != v1alpha1.GitRepositoryKind {
		t.Errorf("spec.sourceRef.kind = %q, want GitRepository", automation.Spec.SourceRef.Kind)
	}
	if automation.Spec.Update == nil || automation.Spec.Update.Strategy != v1alpha1.UpdateStrategySetters {
		t.Errorf("spec.update = %+v, want strategy Setters", automation.Spec.Update)
	}
}

func TestNotificationDefaults(t *testing.T) {
	alert := &v1alpha1.Alert{}
	v1alpha1.SetObjectDefaults_Alert(alert)
	if alert.Spec.EventSeverity != v1alpha1.EventSeverityInfo {
		t.Errorf("Alert spec.eventSeverity = %q, want info", alert.Spec.EventSeverity)
	}
	receiver := &v1alpha1.Receiver{}
	v1alpha1.SetObjectDefaults_Receiver(receiver)
	if receiver.Spec.Interval == nil || receiver.Spec.Interval.Duration != 10*time.Minute {
		t.Errorf("Receiver spec.interval = %v, want 10m", receiver.Spec.Interval)
	}
}

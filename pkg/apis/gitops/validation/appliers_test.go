package validation

import (
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

func TestKustomizationRequiresPrune(t *testing.T) {
	obj := validKustomization()
	obj.Spec.Prune = nil
	expectError(t, validate(obj), field.ErrorTypeRequired, "spec.prune")
}

func TestKustomizationAcceptsPruneFalse(t *testing.T) {
	obj := validKustomization()
	prune := false
	obj.Spec.Prune = &prune
	expectNoErrors(t, validate(obj))
}

func TestKustomizationRequiresSourceRefKindAndName(t *testing.T) {
	obj := validKustomization()
	obj.Spec.SourceRef = v1alpha1.CrossNamespaceSourceReference{}
	errs := validate(obj)
	expectError(t, errs, field.ErrorTypeRequired, "spec.sourceRef.kind")
	expectError(t, errs, field.ErrorTypeRequired, "spec.sourceRef.name")
}

func TestKustomizationRejectsHelmRepositorySource(t *testing.T) {
	obj := validKustomization()
	obj.Spec.SourceRef.Kind = v1alpha1.HelmRepositoryKind
	expectError(t, validate(obj), field.ErrorTypeNotSupported, "spec.sourceRef.kind")
}

func TestKustomizationRejectsSourceRefStillInFluxGroup(t *testing.T) {
	obj := validKustomization()
	obj.Spec.SourceRef.APIVersion = "source.toolkit.fluxcd.io/v1"
	expectError(t, validate(obj), field.ErrorTypeInvalid, "spec.sourceRef.apiVersion")

	obj.Spec.SourceRef.APIVersion = "gitops.io/v1alpha1"
	expectNoErrors(t, validate(obj))
}

func TestKustomizationRejectsZeroRetryInterval(t *testing.T) {
	obj := validKustomization()
	obj.Spec.RetryInterval = durationPtr(0)
	expectError(t, validate(obj), field.ErrorTypeInvalid, "spec.retryInterval")
}

func TestKustomizationRejectsUnknownDeletionPolicy(t *testing.T) {
	obj := validKustomization()
	obj.Spec.DeletionPolicy = "Keep"
	expectError(t, validate(obj), field.ErrorTypeNotSupported, "spec.deletionPolicy")
}

func TestKustomizationRejectsInvalidTargetNamespace(t *testing.T) {
	obj := validKustomization()
	obj.Spec.TargetNamespace = "Apps_Prod"
	expectError(t, validate(obj), field.ErrorTypeInvalid, "spec.targetNamespace")
}

func TestKustomizationKubeConfigNeedsExactlyOneReference(t *testing.T) {
	obj := validKustomization()
	obj.Spec.KubeConfig = &v1alpha1.KubeConfigReference{}
	expectError(t, validate(obj), field.ErrorTypeRequired, "spec.kubeConfig")

	obj.Spec.KubeConfig = &v1alpha1.KubeConfigReference{
		ConfigMapRef: &v1alpha1.LocalObjectReference{Name: "cluster"},
		SecretRef:    &v1alpha1.SecretKeyReference{Name: "kubeconfig"},
	}
	expectError(t, validate(obj), field.ErrorTypeForbidden, "spec.kubeConfig.secretRef")
}

func TestKustomizationPostBuildRejectsInvalidVariableName(t *testing.T) {
	obj := validKustomization()
	obj.Spec.PostBuild = &v1alpha1.PostBuild{Substitute: map[string]string{"cluster-name": "prod"}}
	expectError(t, validate(obj), field.ErrorTypeInvalid, "spec.postBuild.substitute[cluster-name]")
}

func TestKustomizationPostBuildSubstituteFromOnlyConfigMapsAndSecrets(t *testing.T) {
	obj := validKustomization()
	obj.Spec.PostBuild = &v1alpha1.PostBuild{SubstituteFrom: []v1alpha1.SubstituteReference{{Kind: "Namespace", Name: "vars"}}}
	expectError(t, validate(obj), field.ErrorTypeNotSupported, "spec.postBuild.substituteFrom[0].kind")
}

func TestKustomizationRejectsInvalidCommonLabels(t *testing.T) {
	obj := validKustomization()
	obj.Spec.CommonMetadata = &v1alpha1.CommonMetadata{Labels: map[string]string{"team": "a b"}}
	expectError(t, validate(obj), field.ErrorTypeInvalid, "spec.commonMetadata.labels")
}

func TestKustomizationDependencyNeedsAName(t *testing.T) {
	obj := validKustomization()
	obj.Spec.DependsOn = []v1alpha1.DependencyReference{{Namespace: "infra"}}
	expectError(t, validate(obj), field.ErrorTypeRequired, "spec.dependsOn[0].name")
}

func TestDependencyKindWithoutReadinessIsRefused(t *testing.T) {
	obj := validKustomization()
	obj.Spec.DependsOn = []v1alpha1.DependencyReference{{Kind: v1alpha1.ProviderKind, Name: "slack"}}
	expectError(t, validate(obj), field.ErrorTypeNotSupported, "spec.dependsOn[0].kind")
}

func TestDependencyMayNameASourceOrOmitItsKind(t *testing.T) {
	obj := validKustomization()
	obj.Spec.DependsOn = []v1alpha1.DependencyReference{{Kind: v1alpha1.GitRepositoryKind, Name: "app"}, {Name: "infra"},
		{Kind: v1alpha1.HelmReleaseKind, Name: "db"}}
	if errs := validate(obj); len(errs) != 0 {
		t.Errorf("refused: %v", errs)
	}
}

func TestHelmReleaseNeedsChartOrChartRef(t *testing.T) {
	obj := validHelmRelease()
	obj.Spec.Chart = nil
	expectError(t, validate(obj), field.ErrorTypeRequired, "spec.chart")
}

func TestHelmReleaseRejectsBothChartAndChartRef(t *testing.T) {
	obj := validHelmRelease()
	obj.Spec.ChartRef = &v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.OCIRepositoryKind, Name: "podinfo"}
	expectError(t, validate(obj), field.ErrorTypeForbidden, "spec.chartRef")
}

func TestHelmReleaseChartRefOnlyToOCIRepositoryOrHelmChart(t *testing.T) {
	obj := validHelmRelease()
	obj.Spec.Chart = nil
	obj.Spec.ChartRef = &v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.GitRepositoryKind, Name: "podinfo"}
	expectError(t, validate(obj), field.ErrorTypeNotSupported, "spec.chartRef.kind")

	obj.Spec.ChartRef.Kind = v1alpha1.OCIRepositoryKind
	expectNoErrors(t, validate(obj))
}

func TestHelmReleaseChartVersionMustBeASemverRange(t *testing.T) {
	obj := validHelmRelease()
	obj.Spec.Chart.Spec.Version = "stable"
	expectError(t, validate(obj), field.ErrorTypeInvalid, "spec.chart.spec.version")
}

func TestHelmReleaseRejectsValuesThatAreNotAnObject(t *testing.T) {
	obj := validHelmRelease()
	obj.Spec.Values = &runtime.RawExtension{Raw: []byte(`["replicaCount", 2]`)}
	expectError(t, validate(obj), field.ErrorTypeInvalid, "spec.values")

	obj.Spec.Values = &runtime.RawExtension{Raw: []byte(`{"replicaCount": 2}`)}
	expectNoErrors(t, validate(obj))
}

func TestHelmReleaseNameIsLimitedTo53Characters(t *testing.T) {
	obj := validHelmRelease()
	obj.Spec.ReleaseName = strings.Repeat("a", 54)
	expectError(t, validate(obj), field.ErrorTypeTooLong, "spec.releaseName")
}

func TestHelmReleaseRetryIntervalOnlyWithRetryOnFailure(t *testing.T) {
	obj := validHelmRelease()
	obj.Spec.Upgrade = &v1alpha1.Upgrade{Strategy: &v1alpha1.UpgradeStrategy{
		Name:          v1alpha1.ActionStrategyRemediateOnFailure,
		RetryInterval: durationPtr(time.Minute),
	}}
	expectError(t, validate(obj), field.ErrorTypeForbidden, "spec.upgrade.strategy.retryInterval")

	obj.Spec.Upgrade.Strategy.Name = v1alpha1.ActionStrategyRetryOnFailure
	expectNoErrors(t, validate(obj))
}

func TestHelmReleaseRejectsUnknownCRDsPolicy(t *testing.T) {
	obj := validHelmRelease()
	obj.Spec.Install = &v1alpha1.Install{CRDs: "Replace"}
	expectError(t, validate(obj), field.ErrorTypeNotSupported, "spec.install.crds")
}

func TestHelmReleaseRejectsNegativeMaxHistory(t *testing.T) {
	obj := validHelmRelease()
	maxHistory := int32(-1)
	obj.Spec.MaxHistory = &maxHistory
	expectError(t, validate(obj), field.ErrorTypeInvalid, "spec.maxHistory")
}

func TestHelmReleaseValuesFromOnlyConfigMapsAndSecrets(t *testing.T) {
	obj := validHelmRelease()
	obj.Spec.ValuesFrom = []v1alpha1.ValuesReference{{Kind: "Pod", Name: "values"}}
	expectError(t, validate(obj), field.ErrorTypeNotSupported, "spec.valuesFrom[0].kind")
}

func TestHelmReleaseRejectsUnknownDeletionPropagation(t *testing.T) {
	obj := validHelmRelease()
	propagation := "cascade"
	obj.Spec.Uninstall = &v1alpha1.Uninstall{DeletionPropagation: &propagation}
	expectError(t, validate(obj), field.ErrorTypeNotSupported, "spec.uninstall.deletionPropagation")
}

func TestHelmReleaseWarnsAboutDeprecatedSkipCRDs(t *testing.T) {
	obj := validHelmRelease()
	if warnings := HelmReleaseWarnings(obj); len(warnings) != 0 {
		t.Fatalf("want no warnings for a plain release, got %v", warnings)
	}
	obj.Spec.Install = &v1alpha1.Install{SkipCRDs: true}
	warnings := HelmReleaseWarnings(obj)
	if len(warnings) != 1 || !strings.HasPrefix(warnings[0], "spec.install.skipCRDs") {
		t.Errorf("want a warning about spec.install.skipCRDs, got %v", warnings)
	}
}

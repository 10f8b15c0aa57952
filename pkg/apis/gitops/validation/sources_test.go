package validation

import (
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

func TestFluxDocumentationExamplesAreValid(t *testing.T) {
	for name, errs := range map[string]field.ErrorList{
		"GitRepository":         ValidateGitRepository(validGitRepository()),
		"OCIRepository":         ValidateOCIRepository(validOCIRepository()),
		"HelmRepository":        ValidateHelmRepository(validHelmRepository()),
		"HelmChart":             ValidateHelmChart(validHelmChart()),
		"Bucket":                ValidateBucket(validBucket()),
		"Kustomization":         ValidateKustomization(validKustomization()),
		"HelmRelease":           ValidateHelmRelease(validHelmRelease()),
		"Provider":              ValidateProvider(validProvider()),
		"Alert":                 ValidateAlert(validAlert()),
		"Receiver":              ValidateReceiver(validReceiver()),
		"ImageRepository":       ValidateImageRepository(validImageRepository()),
		"ImagePolicy":           ValidateImagePolicy(validImagePolicy()),
		"ImageUpdateAutomation": ValidateImageUpdateAutomation(validImageUpdateAutomation()),
	} {
		t.Run(name, func(t *testing.T) { expectNoErrors(t, errs) })
	}
}

func TestObjectNameMustBeADNSSubdomain(t *testing.T) {
	obj := validGitRepository()
	obj.Name = "Podinfo_App"
	expectError(t, ValidateGitRepository(obj), field.ErrorTypeInvalid, "metadata.name")
}

func TestObjectNeedsANamespace(t *testing.T) {
	obj := validKustomization()
	obj.Namespace = ""
	expectError(t, ValidateKustomization(obj), field.ErrorTypeRequired, "metadata.namespace")
}

func TestUpdateCannotRenameAnObject(t *testing.T) {
	oldObj, newObj := validGitRepository(), validGitRepository()
	newObj.Name = "renamed"
	expectError(t, ValidateObjectMetaUpdate(newObj, oldObj), field.ErrorTypeInvalid, "metadata.name")
}

func TestGitRepositoryAcceptsHTTPSSSHAndFileURLs(t *testing.T) {
	for _, url := range []string{
		"http://git.example.com/repo.git",
		"https://github.com/fluxcd/flux2",
		"ssh://git@github.com/fluxcd/flux2",
		"file:///srv/git/repo.git",
	} {
		obj := validGitRepository()
		obj.Spec.URL = url
		t.Run(url, func(t *testing.T) { expectNoErrors(t, ValidateGitRepository(obj)) })
	}
}

func TestGitRepositoryRejectsUnknownURLScheme(t *testing.T) {
	obj := validGitRepository()
	obj.Spec.URL = "ftp://example.com/repo.git"
	expectError(t, ValidateGitRepository(obj), field.ErrorTypeInvalid, "spec.url")
}

func TestGitRepositoryRejectsSCPStyleURL(t *testing.T) {
	obj := validGitRepository()
	obj.Spec.URL = "git@github.com:fluxcd/flux2.git"
	expectError(t, ValidateGitRepository(obj), field.ErrorTypeInvalid, "spec.url")
}

func TestGitRepositoryRequiresURL(t *testing.T) {
	obj := validGitRepository()
	obj.Spec.URL = ""
	expectError(t, ValidateGitRepository(obj), field.ErrorTypeRequired, "spec.url")
}

func TestGitRepositoryRequiresInterval(t *testing.T) {
	obj := validGitRepository()
	obj.Spec.Interval.Duration = 0
	expectError(t, ValidateGitRepository(obj), field.ErrorTypeRequired, "spec.interval")
}

func TestGitRepositoryRejectsNegativeTimeout(t *testing.T) {
	obj := validGitRepository()
	obj.Spec.Timeout.Duration = -time.Second
	expectError(t, ValidateGitRepository(obj), field.ErrorTypeInvalid, "spec.timeout")
}

func TestGitRepositoryRejectsSemverRefThatDoesNotParse(t *testing.T) {
	obj := validGitRepository()
	obj.Spec.Reference = &v1alpha1.GitRepositoryRef{SemVer: ">=1.0.0 <<2"}
	expectError(t, ValidateGitRepository(obj), field.ErrorTypeInvalid, "spec.ref.semver")
}

func TestGitRepositoryRejectsUnknownProvider(t *testing.T) {
	obj := validGitRepository()
	obj.Spec.Provider = "gitea"
	expectError(t, ValidateGitRepository(obj), field.ErrorTypeNotSupported, "spec.provider")
}

func TestGitRepositoryServiceAccountOnlyWithCloudProvider(t *testing.T) {
	obj := validGitRepository()
	obj.Spec.ServiceAccountName = "git-reader"
	expectError(t, ValidateGitRepository(obj), field.ErrorTypeForbidden, "spec.serviceAccountName")

	obj.Spec.Provider = v1alpha1.GitProviderAzure
	expectNoErrors(t, ValidateGitRepository(obj))
}

func TestGitRepositoryRejectsUnknownVerificationMode(t *testing.T) {
	obj := validGitRepository()
	obj.Spec.Verification = &v1alpha1.GitRepositoryVerification{
		Mode:      "commit",
		SecretRef: v1alpha1.LocalObjectReference{Name: "pgp-public-keys"},
	}
	expectError(t, ValidateGitRepository(obj), field.ErrorTypeNotSupported, "spec.verify.mode")
}

func TestGitRepositoryIncludeNeedsARepositoryName(t *testing.T) {
	obj := validGitRepository()
	obj.Spec.Include = []v1alpha1.GitRepositoryInclude{{ToPath: "deploy"}}
	expectError(t, ValidateGitRepository(obj), field.ErrorTypeRequired, "spec.include[0].repository.name")
}

func TestOCIRepositoryRequiresOCIScheme(t *testing.T) {
	obj := validOCIRepository()
	obj.Spec.URL = "https://ghcr.io/stefanprodan/manifests/podinfo"
	expectError(t, ValidateOCIRepository(obj), field.ErrorTypeInvalid, "spec.url")
}

func TestOCIRepositoryRejectsUnknownLayerOperation(t *testing.T) {
	obj := validOCIRepository()
	obj.Spec.LayerSelector = &v1alpha1.OCILayerSelector{Operation: "unpack"}
	expectError(t, ValidateOCIRepository(obj), field.ErrorTypeNotSupported, "spec.layerSelector.operation")
}

func TestOCIRepositoryRejectsSemverFilterThatDoesNotCompile(t *testing.T) {
	obj := validOCIRepository()
	obj.Spec.Reference = &v1alpha1.OCIRepositoryRef{SemVer: ">=1.0.0", SemverFilter: ".*-rc("}
	expectError(t, ValidateOCIRepository(obj), field.ErrorTypeInvalid, "spec.ref.semverFilter")
}

func TestOCIRepositoryVerificationRejectsUnknownProvider(t *testing.T) {
	obj := validOCIRepository()
	obj.Spec.Verify = &v1alpha1.OCIRepositoryVerification{Provider: "gpg"}
	expectError(t, ValidateOCIRepository(obj), field.ErrorTypeNotSupported, "spec.verify.provider")
}

func TestHelmRepositoryAcceptsHTTPAndHTTPS(t *testing.T) {
	obj := validHelmRepository()
	obj.Spec.URL = "http://charts.example.com"
	expectNoErrors(t, ValidateHelmRepository(obj))
}

func TestHelmRepositoryOCIURLNeedsTypeOCI(t *testing.T) {
	obj := validHelmRepository()
	obj.Spec.URL = "oci://ghcr.io/stefanprodan/charts"
	expectError(t, ValidateHelmRepository(obj), field.ErrorTypeInvalid, "spec.url")

	obj.Spec.Type = v1alpha1.HelmRepositoryTypeOCI
	expectNoErrors(t, ValidateHelmRepository(obj))
}

func TestHelmRepositoryOfTypeOCIRejectsHTTPSURL(t *testing.T) {
	obj := validHelmRepository()
	obj.Spec.Type = v1alpha1.HelmRepositoryTypeOCI
	expectError(t, ValidateHelmRepository(obj), field.ErrorTypeInvalid, "spec.url")
}

func TestHelmRepositoryIntervalIsOptional(t *testing.T) {
	obj := validHelmRepository()
	obj.Spec.Interval.Duration = 0
	expectNoErrors(t, ValidateHelmRepository(obj))
}

func TestHelmRepositoryRejectsUnknownType(t *testing.T) {
	obj := validHelmRepository()
	obj.Spec.Type = "chartmuseum"
	expectError(t, ValidateHelmRepository(obj), field.ErrorTypeNotSupported, "spec.type")
}

func TestHelmChartRejectsUnknownSourceKind(t *testing.T) {
	obj := validHelmChart()
	obj.Spec.SourceRef.Kind = v1alpha1.OCIRepositoryKind
	expectError(t, ValidateHelmChart(obj), field.ErrorTypeNotSupported, "spec.sourceRef.kind")
}

func TestHelmChartVersionMustBeASemverRangeForHelmRepositories(t *testing.T) {
	obj := validHelmChart()
	obj.Spec.Version = "latest"
	expectError(t, ValidateHelmChart(obj), field.ErrorTypeInvalid, "spec.version")
}

func TestHelmChartVersionIsIgnoredForGitRepositories(t *testing.T) {
	obj := validHelmChart()
	obj.Spec.SourceRef.Kind = v1alpha1.GitRepositoryKind
	obj.Spec.Chart = "./charts/podinfo"
	obj.Spec.Version = "latest"
	expectNoErrors(t, ValidateHelmChart(obj))
}

func TestHelmChartVerificationOnlyForHelmRepositories(t *testing.T) {
	obj := validHelmChart()
	obj.Spec.SourceRef.Kind = v1alpha1.BucketKind
	obj.Spec.Verify = &v1alpha1.HelmChartVerification{Provider: v1alpha1.VerificationProviderCosign}
	expectError(t, ValidateHelmChart(obj), field.ErrorTypeForbidden, "spec.verify")
}

func TestHelmChartRejectsUnknownReconcileStrategy(t *testing.T) {
	obj := validHelmChart()
	obj.Spec.ReconcileStrategy = "Always"
	expectError(t, ValidateHelmChart(obj), field.ErrorTypeNotSupported, "spec.reconcileStrategy")
}

func TestBucketRequiresNameAndEndpoint(t *testing.T) {
	obj := validBucket()
	obj.Spec.BucketName, obj.Spec.Endpoint = "", ""
	errs := ValidateBucket(obj)
	expectError(t, errs, field.ErrorTypeRequired, "spec.bucketName")
	expectError(t, errs, field.ErrorTypeRequired, "spec.endpoint")
}

func TestBucketSTSOnlyWithAWSOrGenericProvider(t *testing.T) {
	obj := validBucket()
	obj.Spec.Provider = v1alpha1.CloudProviderGCP
	obj.Spec.SecretRef = nil
	obj.Spec.STS = &v1alpha1.BucketSTSSpec{Provider: v1alpha1.STSProviderAWS, Endpoint: "https://sts.amazonaws.com"}
	expectError(t, ValidateBucket(obj), field.ErrorTypeForbidden, "spec.sts")
}

func TestBucketGenericProviderNeedsLDAPTokenService(t *testing.T) {
	obj := validBucket()
	obj.Spec.STS = &v1alpha1.BucketSTSSpec{Provider: v1alpha1.STSProviderAWS, Endpoint: "https://sts.example.com"}
	expectError(t, ValidateBucket(obj), field.ErrorTypeInvalid, "spec.sts.provider")

	obj.Spec.STS.Provider = v1alpha1.STSProviderLDAP
	expectNoErrors(t, ValidateBucket(obj))
}

func TestBucketServiceAccountConflictsWithSecretRef(t *testing.T) {
	obj := validBucket()
	obj.Spec.Provider = v1alpha1.CloudProviderAWS
	obj.Spec.ServiceAccountName = "bucket-reader"
	expectError(t, ValidateBucket(obj), field.ErrorTypeForbidden, "spec.serviceAccountName")
}

func TestErrorMessagesNameTheAllowedValues(t *testing.T) {
	obj := validHelmChart()
	obj.Spec.SourceRef.Kind = "OCIRepository"
	errs := ValidateHelmChart(obj)
	if len(errs) == 0 || !strings.Contains(errs.ToAggregate().Error(), `"HelmRepository"`) {
		t.Errorf("want the supported kinds listed, got %v", describe(errs))
	}
}

func TestUpdateChecksTheNewSpec(t *testing.T) {
	oldObj, newObj := validGitRepository(), validGitRepository()
	newObj.Spec.URL = "ftp://example.com/repo.git"
	expectError(t, ValidateGitRepositoryUpdate(newObj, oldObj), field.ErrorTypeInvalid, "spec.url")
}

func TestUpdateLeavesMetadataToTheRegistry(t *testing.T) {
	// The generic registry validates metadata on update; repeating it here
	// would report every metadata error twice.
	oldObj, newObj := validGitRepository(), validGitRepository()
	newObj.Labels = map[string]string{"bad label": "x"}
	expectNoErrors(t, ValidateGitRepositoryUpdate(newObj, oldObj))
}

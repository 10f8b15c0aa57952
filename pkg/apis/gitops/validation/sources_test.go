package validation

import (
	"strings"
	"testing"
	"time"

	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

func TestFluxDocumentationExamplesAreValid(t *testing.T) {
	for name, errs := range map[string]field.ErrorList{
		"GitRepository":         validate(validGitRepository()),
		"OCIRepository":         validate(validOCIRepository()),
		"HelmRepository":        validate(validHelmRepository()),
		"HelmChart":             validate(validHelmChart()),
		"Bucket":                validate(validBucket()),
		"Kustomization":         validate(validKustomization()),
		"HelmRelease":           validate(validHelmRelease()),
		"Provider":              validate(validProvider()),
		"Alert":                 validate(validAlert()),
		"Receiver":              validate(validReceiver()),
		"ImageRepository":       validate(validImageRepository()),
		"ImagePolicy":           validate(validImagePolicy()),
		"ImageUpdateAutomation": validate(validImageUpdateAutomation()),
	} {
		t.Run(name, func(t *testing.T) { expectNoErrors(t, errs) })
	}
}

func TestObjectNameMustBeADNSSubdomain(t *testing.T) {
	obj := validGitRepository()
	obj.Name = "Podinfo_App"
	expectError(t, validate(obj), field.ErrorTypeInvalid, "metadata.name")
}

func TestObjectNeedsANamespace(t *testing.T) {
	obj := validKustomization()
	obj.Namespace = ""
	expectError(t, validate(obj), field.ErrorTypeRequired, "metadata.namespace")
}

func TestUpdateCannotRenameAnObject(t *testing.T) {
	oldObj, newObj := validGitRepository(), validGitRepository()
	newObj.Name = "renamed"
	// The generic registry runs this check on every update.
	expectError(t, apimachineryvalidation.ValidateObjectMetaAccessorUpdate(newObj, oldObj, field.NewPath("metadata")),
		field.ErrorTypeInvalid, "metadata.name")
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
		t.Run(url, func(t *testing.T) { expectNoErrors(t, validate(obj)) })
	}
}

func TestGitRepositoryRejectsUnknownURLScheme(t *testing.T) {
	obj := validGitRepository()
	obj.Spec.URL = "ftp://example.com/repo.git"
	expectError(t, validate(obj), field.ErrorTypeInvalid, "spec.url")
}

func TestGitRepositoryRejectsSCPStyleURL(t *testing.T) {
	obj := validGitRepository()
	obj.Spec.URL = "git@github.com:fluxcd/flux2.git"
	expectError(t, validate(obj), field.ErrorTypeInvalid, "spec.url")
}

func TestGitRepositoryRequiresURL(t *testing.T) {
	obj := validGitRepository()
	obj.Spec.URL = ""
	expectError(t, validate(obj), field.ErrorTypeRequired, "spec.url")
}

func TestGitRepositoryRequiresInterval(t *testing.T) {
	obj := validGitRepository()
	obj.Spec.Interval.Duration = 0
	expectError(t, validate(obj), field.ErrorTypeRequired, "spec.interval")
}

func TestGitRepositoryRejectsNegativeTimeout(t *testing.T) {
	obj := validGitRepository()
	obj.Spec.Timeout.Duration = -time.Second
	expectError(t, validate(obj), field.ErrorTypeInvalid, "spec.timeout")
}

func TestGitRepositoryRejectsSemverRefThatDoesNotParse(t *testing.T) {
	obj := validGitRepository()
	obj.Spec.Reference = &v1alpha1.GitRepositoryRef{SemVer: ">=1.0.0 <<2"}
	expectError(t, validate(obj), field.ErrorTypeInvalid, "spec.ref.semver")
}

func TestGitRepositoryRejectsUnknownProvider(t *testing.T) {
	obj := validGitRepository()
	obj.Spec.Provider = "gitea"
	expectError(t, validate(obj), field.ErrorTypeNotSupported, "spec.provider")
}

func TestGitRepositoryServiceAccountOnlyWithCloudProvider(t *testing.T) {
	obj := validGitRepository()
	obj.Spec.ServiceAccountName = "git-reader"
	expectError(t, validate(obj), field.ErrorTypeForbidden, "spec.serviceAccountName")

	obj.Spec.Provider = v1alpha1.GitProviderAzure
	expectNoErrors(t, validate(obj))
}

func TestGitRepositoryRejectsUnknownVerificationMode(t *testing.T) {
	obj := validGitRepository()
	obj.Spec.Verification = &v1alpha1.GitRepositoryVerification{
		Mode:      "commit",
		SecretRef: v1alpha1.LocalObjectReference{Name: "pgp-public-keys"},
	}
	expectError(t, validate(obj), field.ErrorTypeNotSupported, "spec.verify.mode")
}

func TestGitRepositoryIncludeNeedsARepositoryName(t *testing.T) {
	obj := validGitRepository()
	obj.Spec.Include = []v1alpha1.GitRepositoryInclude{{ToPath: "deploy"}}
	expectError(t, validate(obj), field.ErrorTypeRequired, "spec.include[0].repository.name")
}

func TestOCIRepositoryRequiresOCIScheme(t *testing.T) {
	obj := validOCIRepository()
	obj.Spec.URL = "https://ghcr.io/stefanprodan/manifests/podinfo"
	expectError(t, validate(obj), field.ErrorTypeInvalid, "spec.url")
}

func TestOCIRepositoryRejectsUnknownLayerOperation(t *testing.T) {
	obj := validOCIRepository()
	obj.Spec.LayerSelector = &v1alpha1.OCILayerSelector{Operation: "unpack"}
	expectError(t, validate(obj), field.ErrorTypeNotSupported, "spec.layerSelector.operation")
}

func TestOCIRepositoryRejectsSemverFilterThatDoesNotCompile(t *testing.T) {
	obj := validOCIRepository()
	obj.Spec.Reference = &v1alpha1.OCIRepositoryRef{SemVer: ">=1.0.0", SemverFilter: ".*-rc("}
	expectError(t, validate(obj), field.ErrorTypeInvalid, "spec.ref.semverFilter")
}

func TestOCIRepositoryVerificationRejectsUnknownProvider(t *testing.T) {
	obj := validOCIRepository()
	obj.Spec.Verify = &v1alpha1.OCIRepositoryVerification{Provider: "gpg"}
	expectError(t, validate(obj), field.ErrorTypeNotSupported, "spec.verify.provider")
}

func TestHelmRepositoryAcceptsHTTPAndHTTPS(t *testing.T) {
	obj := validHelmRepository()
	obj.Spec.URL = "http://charts.example.com"
	expectNoErrors(t, validate(obj))
}

func TestHelmRepositoryOCIURLNeedsTypeOCI(t *testing.T) {
	obj := validHelmRepository()
	obj.Spec.URL = "oci://ghcr.io/stefanprodan/charts"
	expectError(t, validate(obj), field.ErrorTypeInvalid, "spec.url")

	obj.Spec.Type = v1alpha1.HelmRepositoryTypeOCI
	expectNoErrors(t, validate(obj))
}

func TestHelmRepositoryOfTypeOCIRejectsHTTPSURL(t *testing.T) {
	obj := validHelmRepository()
	obj.Spec.Type = v1alpha1.HelmRepositoryTypeOCI
	expectError(t, validate(obj), field.ErrorTypeInvalid, "spec.url")
}

func TestHelmRepositoryIntervalIsOptional(t *testing.T) {
	obj := validHelmRepository()
	obj.Spec.Interval.Duration = 0
	expectNoErrors(t, validate(obj))
}

func TestHelmRepositoryRejectsUnknownType(t *testing.T) {
	obj := validHelmRepository()
	obj.Spec.Type = "chartmuseum"
	expectError(t, validate(obj), field.ErrorTypeNotSupported, "spec.type")
}

func TestHelmChartRejectsUnknownSourceKind(t *testing.T) {
	obj := validHelmChart()
	obj.Spec.SourceRef.Kind = v1alpha1.OCIRepositoryKind
	expectError(t, validate(obj), field.ErrorTypeNotSupported, "spec.sourceRef.kind")
}

func TestHelmChartVersionMustBeASemverRangeForHelmRepositories(t *testing.T) {
	obj := validHelmChart()
	obj.Spec.Version = "latest"
	expectError(t, validate(obj), field.ErrorTypeInvalid, "spec.version")
}

func TestHelmChartVersionIsIgnoredForGitRepositories(t *testing.T) {
	obj := validHelmChart()
	obj.Spec.SourceRef.Kind = v1alpha1.GitRepositoryKind
	obj.Spec.Chart = "./charts/podinfo"
	obj.Spec.Version = "latest"
	expectNoErrors(t, validate(obj))
}

func TestHelmChartVerificationOnlyForHelmRepositories(t *testing.T) {
	obj := validHelmChart()
	obj.Spec.SourceRef.Kind = v1alpha1.BucketKind
	obj.Spec.Verify = &v1alpha1.HelmChartVerification{Provider: v1alpha1.VerificationProviderCosign}
	expectError(t, validate(obj), field.ErrorTypeForbidden, "spec.verify")
}

func TestHelmChartRejectsUnknownReconcileStrategy(t *testing.T) {
	obj := validHelmChart()
	obj.Spec.ReconcileStrategy = "Always"
	expectError(t, validate(obj), field.ErrorTypeNotSupported, "spec.reconcileStrategy")
}

func TestBucketRequiresNameAndEndpoint(t *testing.T) {
	obj := validBucket()
	obj.Spec.BucketName, obj.Spec.Endpoint = "", ""
	errs := validate(obj)
	expectError(t, errs, field.ErrorTypeRequired, "spec.bucketName")
	expectError(t, errs, field.ErrorTypeRequired, "spec.endpoint")
}

func TestBucketSTSOnlyWithAWSOrGenericProvider(t *testing.T) {
	obj := validBucket()
	obj.Spec.Provider = v1alpha1.CloudProviderGCP
	obj.Spec.SecretRef = nil
	obj.Spec.STS = &v1alpha1.BucketSTSSpec{Provider: v1alpha1.STSProviderAWS, Endpoint: "https://sts.amazonaws.com"}
	expectError(t, validate(obj), field.ErrorTypeForbidden, "spec.sts")
}

func TestBucketGenericProviderNeedsLDAPTokenService(t *testing.T) {
	obj := validBucket()
	obj.Spec.STS = &v1alpha1.BucketSTSSpec{Provider: v1alpha1.STSProviderAWS, Endpoint: "https://sts.example.com"}
	expectError(t, validate(obj), field.ErrorTypeInvalid, "spec.sts.provider")

	obj.Spec.STS.Provider = v1alpha1.STSProviderLDAP
	expectNoErrors(t, validate(obj))
}

func TestBucketServiceAccountConflictsWithSecretRef(t *testing.T) {
	obj := validBucket()
	obj.Spec.Provider = v1alpha1.CloudProviderAWS
	obj.Spec.ServiceAccountName = "bucket-reader"
	expectError(t, validate(obj), field.ErrorTypeForbidden, "spec.serviceAccountName")
}

func TestErrorMessagesNameTheAllowedValues(t *testing.T) {
	obj := validHelmChart()
	obj.Spec.SourceRef.Kind = "OCIRepository"
	errs := validate(obj)
	if len(errs) == 0 || !strings.Contains(errs.ToAggregate().Error(), `"HelmRepository"`) {
		t.Errorf("want the supported kinds listed, got %v", describe(errs))
	}
}

func TestUpdateChecksTheNewSpec(t *testing.T) {
	newObj := validGitRepository()
	newObj.Spec.URL = "ftp://example.com/repo.git"
	expectError(t, ValidateGitRepositorySpec(newObj.Spec, specPath), field.ErrorTypeInvalid, "spec.url")
}

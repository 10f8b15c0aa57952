package validation

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

func TestProviderRejectsUnknownType(t *testing.T) {
	obj := validProvider()
	obj.Spec.Type = "irc"
	expectError(t, validate(obj), field.ErrorTypeNotSupported, "spec.type")
}

func TestProviderRequiresType(t *testing.T) {
	obj := validProvider()
	obj.Spec.Type = ""
	expectError(t, validate(obj), field.ErrorTypeRequired, "spec.type")
}

func TestProviderGenericAddressMustBeAnHTTPURL(t *testing.T) {
	obj := validProvider()
	obj.Spec.Type = v1alpha1.ProviderGeneric
	obj.Spec.Address = "webhook.example.com/hook"
	expectError(t, validate(obj), field.ErrorTypeInvalid, "spec.address")
}

func TestProviderCommitStatusExprOnlyForGitHosts(t *testing.T) {
	obj := validProvider()
	obj.Spec.CommitStatusExpr = "event.metadata.revision"
	expectError(t, validate(obj), field.ErrorTypeForbidden, "spec.commitStatusExpr")

	obj.Spec.Type = v1alpha1.ProviderGitHub
	expectNoErrors(t, validate(obj))
}

func TestProviderWarnsAboutDeprecatedProxyAndInterval(t *testing.T) {
	obj := validProvider()
	obj.Spec.Proxy = "http://proxy.example.com:3128"
	obj.Spec.Interval = &v1alpha1.Duration{Duration: time.Minute}
	if warnings := ProviderWarnings(obj); len(warnings) != 2 {
		t.Errorf("want two warnings, got %v", warnings)
	}
}

func TestAlertRequiresEventSources(t *testing.T) {
	obj := validAlert()
	obj.Spec.EventSources = nil
	expectError(t, validate(obj), field.ErrorTypeRequired, "spec.eventSources")
}

func TestAlertRejectsMatchLabelsWithoutWildcardName(t *testing.T) {
	obj := validAlert()
	obj.Spec.EventSources[1].Name = "podinfo"
	expectError(t, validate(obj), field.ErrorTypeForbidden, "spec.eventSources[1].matchLabels")
}

func TestAlertRejectsEventSourceOfUnknownKind(t *testing.T) {
	obj := validAlert()
	obj.Spec.EventSources[0].Kind = "Deployment"
	expectError(t, validate(obj), field.ErrorTypeNotSupported, "spec.eventSources[0].kind")
}

func TestAlertRejectsExclusionThatDoesNotCompile(t *testing.T) {
	obj := validAlert()
	obj.Spec.ExclusionList = []string{"^Dependencies", "waiting for ("}
	expectError(t, validate(obj), field.ErrorTypeInvalid, "spec.exclusionList[1]")
}

func TestAlertRejectsUnknownSeverity(t *testing.T) {
	obj := validAlert()
	obj.Spec.EventSeverity = "warning"
	expectError(t, validate(obj), field.ErrorTypeNotSupported, "spec.eventSeverity")
}

func TestAlertRequiresProviderRef(t *testing.T) {
	obj := validAlert()
	obj.Spec.ProviderRef.Name = ""
	expectError(t, validate(obj), field.ErrorTypeRequired, "spec.providerRef.name")
}

func TestReceiverNeedsSecretRefUnlessOIDC(t *testing.T) {
	obj := validReceiver()
	obj.Spec.SecretRef = nil
	expectError(t, validate(obj), field.ErrorTypeRequired, "spec.secretRef")
}

func TestReceiverGenericOIDCNeedsProvidersAndNoSecret(t *testing.T) {
	obj := validReceiver()
	obj.Spec.Type = v1alpha1.ReceiverGenericOIDC
	errs := validate(obj)
	expectError(t, errs, field.ErrorTypeForbidden, "spec.secretRef")
	expectError(t, errs, field.ErrorTypeRequired, "spec.oidcProviders")

	obj.Spec.SecretRef = nil
	obj.Spec.OIDCProviders = []v1alpha1.OIDCProvider{{
		IssuerURL:   "https://token.actions.githubusercontent.com",
		Validations: []v1alpha1.OIDCValidation{{Expression: "claims.repository_owner == 'fluxcd'", Message: "wrong owner"}},
	}}
	expectNoErrors(t, validate(obj))
}

func TestReceiverOIDCProviderNeedsAValidation(t *testing.T) {
	obj := validReceiver()
	obj.Spec.Type = v1alpha1.ReceiverGenericOIDC
	obj.Spec.SecretRef = nil
	obj.Spec.OIDCProviders = []v1alpha1.OIDCProvider{{IssuerURL: "https://token.actions.githubusercontent.com"}}
	expectError(t, validate(obj), field.ErrorTypeRequired, "spec.oidcProviders[0].validations")
}

func TestReceiverRequiresResources(t *testing.T) {
	obj := validReceiver()
	obj.Spec.Resources = nil
	expectError(t, validate(obj), field.ErrorTypeRequired, "spec.resources")
}

func TestReceiverRejectsUnknownType(t *testing.T) {
	obj := validReceiver()
	obj.Spec.Type = "gitea"
	expectError(t, validate(obj), field.ErrorTypeNotSupported, "spec.type")
}

func TestImageRepositoryRejectsImageWithTag(t *testing.T) {
	obj := validImageRepository()
	obj.Spec.Image = "ghcr.io/stefanprodan/podinfo:6.5.0"
	expectError(t, validate(obj), field.ErrorTypeInvalid, "spec.image")
}

func TestImageRepositoryAcceptsRegistryWithPort(t *testing.T) {
	obj := validImageRepository()
	obj.Spec.Image = "localhost:5000/podinfo"
	expectNoErrors(t, validate(obj))
}

func TestImageRepositoryRejectsImageWithScheme(t *testing.T) {
	obj := validImageRepository()
	obj.Spec.Image = "https://ghcr.io/stefanprodan/podinfo"
	expectError(t, validate(obj), field.ErrorTypeInvalid, "spec.image")
}

func TestImageRepositoryLimitsExclusionList(t *testing.T) {
	obj := validImageRepository()
	obj.Spec.ExclusionList = strings.Split(strings.Repeat("x,", 26), ",")
	expectError(t, validate(obj), field.ErrorTypeTooMany, "spec.exclusionList")
}

func TestImagePolicyNeedsExactlyOnePolicy(t *testing.T) {
	obj := validImagePolicy()
	obj.Spec.Policy = v1alpha1.ImagePolicyChoice{}
	expectError(t, validate(obj), field.ErrorTypeRequired, "spec.policy")

	obj.Spec.Policy = v1alpha1.ImagePolicyChoice{
		SemVer:    &v1alpha1.SemVerPolicy{Range: "1.x"},
		Numerical: &v1alpha1.NumericalPolicy{Order: v1alpha1.SortOrderAscending},
	}
	expectError(t, validate(obj), field.ErrorTypeInvalid, "spec.policy")
}

func TestImagePolicyRejectsSemverRangeThatDoesNotParse(t *testing.T) {
	obj := validImagePolicy()
	obj.Spec.Policy.SemVer.Range = "newest"
	expectError(t, validate(obj), field.ErrorTypeInvalid, "spec.policy.semver.range")
}

func TestImagePolicyRejectsUnknownSortOrder(t *testing.T) {
	obj := validImagePolicy()
	obj.Spec.Policy = v1alpha1.ImagePolicyChoice{Alphabetical: &v1alpha1.AlphabeticalPolicy{Order: "newest"}}
	expectError(t, validate(obj), field.ErrorTypeNotSupported, "spec.policy.alphabetical.order")
}

func TestImagePolicyIntervalOnlyWithAlwaysReflection(t *testing.T) {
	obj := validImagePolicy()
	obj.Spec.Interval = &v1alpha1.Duration{Duration: 10 * time.Minute}
	expectError(t, validate(obj), field.ErrorTypeForbidden, "spec.interval")

	obj.Spec.DigestReflectionPolicy = v1alpha1.ReflectAlways
	expectNoErrors(t, validate(obj))

	obj.Spec.Interval = nil
	expectError(t, validate(obj), field.ErrorTypeRequired, "spec.interval")
}

func TestImageUpdateAutomationRequiresAuthorEmail(t *testing.T) {
	obj := validImageUpdateAutomation()
	obj.Spec.GitSpec.Commit.Author.Email = ""
	expectError(t, validate(obj), field.ErrorTypeRequired, "spec.git.commit.author.email")
}

func TestImageUpdateAutomationOnlyUpdatesGitRepositories(t *testing.T) {
	obj := validImageUpdateAutomation()
	obj.Spec.SourceRef.Kind = v1alpha1.OCIRepositoryKind
	expectError(t, validate(obj), field.ErrorTypeNotSupported, "spec.sourceRef.kind")
}

func TestImageUpdateAutomationRejectsInvalidPolicySelector(t *testing.T) {
	obj := validImageUpdateAutomation()
	obj.Spec.PolicySelector = &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
		{Key: "app", Operator: "Near"},
	}}
	expectError(t, validate(obj), field.ErrorTypeInvalid, "spec.policySelector.matchExpressions[0].operator")
}

func TestStatusConditionsNeedAReason(t *testing.T) {
	conditions := []metav1.Condition{{
		Type:               v1alpha1.ReadyCondition,
		Status:             metav1.ConditionTrue,
		LastTransitionTime: metav1.Now(),
	}}
	expectError(t, ValidateConditions(conditions, field.NewPath("status", "conditions")),
		field.ErrorTypeRequired, "status.conditions[0].reason")
}

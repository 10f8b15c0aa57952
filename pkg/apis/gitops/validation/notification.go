package validation

import (
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

var providerTypes = []v1alpha1.ProviderType{
	v1alpha1.ProviderGeneric, v1alpha1.ProviderGenericHMAC, v1alpha1.ProviderSlack, v1alpha1.ProviderGrafana,
	v1alpha1.ProviderDiscord, v1alpha1.ProviderMSTeams, v1alpha1.ProviderRocket, v1alpha1.ProviderGitHubDispatch,
	v1alpha1.ProviderGitHub, v1alpha1.ProviderGitHubPullRequestComment, v1alpha1.ProviderGitLab,
	v1alpha1.ProviderGitLabMergeRequestComment, v1alpha1.ProviderGitea, v1alpha1.ProviderGiteaPullRequestComment,
	v1alpha1.ProviderBitbucketServer, v1alpha1.ProviderBitbucket, v1alpha1.ProviderAzureDevOps,
	v1alpha1.ProviderGoogleChat, v1alpha1.ProviderGooglePubSub, v1alpha1.ProviderWebex, v1alpha1.ProviderSentry,
	v1alpha1.ProviderAzureEventHub, v1alpha1.ProviderTelegram, v1alpha1.ProviderLark, v1alpha1.ProviderMatrix,
	v1alpha1.ProviderOpsgenie, v1alpha1.ProviderAlertManager, v1alpha1.ProviderPagerDuty, v1alpha1.ProviderDataDog,
	v1alpha1.ProviderNATS, v1alpha1.ProviderZulip, v1alpha1.ProviderOTEL, v1alpha1.ProviderZoom,
	v1alpha1.ProviderIncidentIO,
}

// workloadIdentityProviders can authenticate as a ServiceAccount.
var workloadIdentityProviders = sets.New(
	v1alpha1.ProviderAzureEventHub, v1alpha1.ProviderAzureDevOps, v1alpha1.ProviderGooglePubSub,
)

// webhookProviders take an HTTP(S) URL as address.
var webhookProviders = sets.New(v1alpha1.ProviderGeneric, v1alpha1.ProviderGenericHMAC)

const maxProviderFieldLength = 2048

// ValidateProviderSpec checks the spec of a new or updated Provider.
func ValidateProviderSpec(spec v1alpha1.ProviderSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList

	errs = append(errs, validateEnum(spec.Type, p.Child("type"), false, providerTypes...)...)
	errs = append(errs, validateOptionalDuration(spec.Interval, p.Child("interval"))...)
	errs = append(errs, validateMaxLength(spec.Channel, maxProviderFieldLength, p.Child("channel"))...)
	errs = append(errs, validateMaxLength(spec.Username, maxProviderFieldLength, p.Child("username"))...)
	errs = append(errs, validateMaxLength(spec.Address, maxProviderFieldLength, p.Child("address"))...)
	if webhookProviders.Has(spec.Type) {
		errs = append(errs, validateOptionalURL(spec.Address, p.Child("address"), "http", "https")...)
	}
	errs = append(errs, validateOptionalDuration(spec.Timeout, p.Child("timeout"))...)
	errs = append(errs, validateOptionalURL(spec.Proxy, p.Child("proxy"), "http", "https")...)
	errs = append(errs, validateLocalRef(spec.ProxySecretRef, p.Child("proxySecretRef"))...)
	errs = append(errs, validateLocalRef(spec.SecretRef, p.Child("secretRef"))...)
	if spec.ServiceAccountName != "" {
		if !workloadIdentityProviders.Has(spec.Type) {
			errs = append(errs, field.Forbidden(p.Child("serviceAccountName"), "only supported with types azureeventhub, azuredevops and googlepubsub"))
		}
		errs = append(errs, validateName(spec.ServiceAccountName, p.Child("serviceAccountName"))...)
	}
	errs = append(errs, validateLocalRef(spec.CertSecretRef, p.Child("certSecretRef"))...)
	if spec.CommitStatusExpr != "" && !spec.Type.PostsCommitStatus() {
		errs = append(errs, field.Forbidden(p.Child("commitStatusExpr"),
			"only supported with types github, gitlab, gitea, bitbucketserver, bitbucket and azuredevops"))
	}
	return errs
}

// ValidateAlertSpec checks the spec of a new or updated Alert.
func ValidateAlertSpec(spec v1alpha1.AlertSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList

	errs = append(errs, validateName(spec.ProviderRef.Name, p.Child("providerRef", "name"))...)
	errs = append(errs, validateEnum(spec.EventSeverity, p.Child("eventSeverity"), true,
		v1alpha1.EventSeverityInfo, v1alpha1.EventSeverityError)...)
	if len(spec.EventSources) == 0 {
		errs = append(errs, field.Required(p.Child("eventSources"), "at least one object to forward events of"))
	}
	for i, source := range spec.EventSources {
		errs = append(errs, validateObjectSelector(source, p.Child("eventSources").Index(i))...)
	}
	errs = append(errs, validateRegexps(spec.InclusionList, p.Child("inclusionList"))...)
	errs = append(errs, validateRegexps(spec.ExclusionList, p.Child("exclusionList"))...)
	errs = append(errs, validateMaxLength(spec.Summary, 255, p.Child("summary"))...)
	return errs
}

// ValidateReceiverSpec checks the spec of a new or updated Receiver.
func ValidateReceiverSpec(spec v1alpha1.ReceiverSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList

	errs = append(errs, validateEnum(spec.Type, p.Child("type"), false,
		v1alpha1.ReceiverGeneric, v1alpha1.ReceiverGenericHMAC, v1alpha1.ReceiverGenericOIDC, v1alpha1.ReceiverGitHub,
		v1alpha1.ReceiverGitLab, v1alpha1.ReceiverBitbucket, v1alpha1.ReceiverHarbor, v1alpha1.ReceiverDockerHub,
		v1alpha1.ReceiverQuay, v1alpha1.ReceiverGCR, v1alpha1.ReceiverNexus, v1alpha1.ReceiverACR,
		v1alpha1.ReceiverCDEvents)...)
	errs = append(errs, validateOptionalDuration(spec.Interval, p.Child("interval"))...)
	if len(spec.Resources) == 0 {
		errs = append(errs, field.Required(p.Child("resources"), "at least one object to reconcile"))
	}
	for i, resource := range spec.Resources {
		errs = append(errs, validateObjectSelector(resource.CrossNamespaceObjectReference, p.Child("resources").Index(i))...)
	}

	oidc := spec.Type == v1alpha1.ReceiverGenericOIDC
	switch {
	case oidc && spec.SecretRef != nil:
		errs = append(errs, field.Forbidden(p.Child("secretRef"), "generic-oidc receivers authenticate with OIDC tokens"))
	case !oidc && spec.SecretRef == nil:
		errs = append(errs, field.Required(p.Child("secretRef"), "a Secret with the webhook token"))
	}
	errs = append(errs, validateLocalRef(spec.SecretRef, p.Child("secretRef"))...)
	switch {
	case oidc && len(spec.OIDCProviders) == 0:
		errs = append(errs, field.Required(p.Child("oidcProviders"), "at least one trusted issuer for generic-oidc"))
	case !oidc && len(spec.OIDCProviders) > 0:
		errs = append(errs, field.Forbidden(p.Child("oidcProviders"), "only used by type generic-oidc"))
	}
	errs = append(errs, validateOIDCProviders(spec.OIDCProviders, p.Child("oidcProviders"))...)
	return errs
}

func validateOIDCProviders(providers []v1alpha1.OIDCProvider, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	issuers := sets.New[string]()
	for i, provider := range providers {
		providerPath := p.Index(i)
		errs = append(errs, validateURL(provider.IssuerURL, providerPath.Child("issuerURL"), "http", "https")...)
		if issuers.Has(provider.IssuerURL) {
			errs = append(errs, field.Duplicate(providerPath.Child("issuerURL"), provider.IssuerURL))
		}
		issuers.Insert(provider.IssuerURL)
		for j, variable := range provider.Variables {
			errs = append(errs, requireString(variable.Name, providerPath.Child("variables").Index(j).Child("name"))...)
			errs = append(errs, requireString(variable.Expression, providerPath.Child("variables").Index(j).Child("expression"))...)
		}
		if len(provider.Validations) == 0 {
			errs = append(errs, field.Required(providerPath.Child("validations"), "at least one check of the caller's identity claims"))
		}
		for j, check := range provider.Validations {
			errs = append(errs, requireString(check.Expression, providerPath.Child("validations").Index(j).Child("expression"))...)
			errs = append(errs, requireString(check.Message, providerPath.Child("validations").Index(j).Child("message"))...)
		}
	}
	return errs
}

// validateObjectSelector checks a reference to one object, or to all
// objects of a kind with name '*' (optionally narrowed by labels).
func validateObjectSelector(ref v1alpha1.CrossNamespaceObjectReference, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, validateGroupAPIVersion(ref.APIVersion, p.Child("apiVersion"))...)
	errs = append(errs, validateEnum(ref.Kind, p.Child("kind"), false, v1alpha1.NotifyingKinds...)...)
	if ref.Name != "*" {
		errs = append(errs, validateName(ref.Name, p.Child("name"))...)
		if len(ref.MatchLabels) > 0 {
			errs = append(errs, field.Forbidden(p.Child("matchLabels"), "only used with name '*'"))
		}
	}
	errs = append(errs, validateOptionalNamespace(ref.Namespace, p.Child("namespace"))...)
	errs = append(errs, validateLabels(ref.MatchLabels, p.Child("matchLabels"))...)
	return errs
}

package validation

import (
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

var cloudProviders = []string{
	v1alpha1.CloudProviderGeneric, v1alpha1.CloudProviderAWS, v1alpha1.CloudProviderAzure, v1alpha1.CloudProviderGCP,
}

// ValidateGitRepositorySpec checks the spec of a new or updated GitRepository.
func ValidateGitRepositorySpec(spec v1alpha1.GitRepositorySpec, path *field.Path) field.ErrorList {
	var errs field.ErrorList

	errs = append(errs, validateURL(spec.URL, path.Child("url"), "http", "https", "ssh", "file")...)
	errs = append(errs, validateLocalRef(spec.SecretRef, path.Child("secretRef"))...)
	errs = append(errs, validateEnum(spec.Provider, path.Child("provider"), true,
		v1alpha1.GitProviderGeneric, v1alpha1.GitProviderAWS, v1alpha1.GitProviderAzure, v1alpha1.GitProviderGitHub)...)
	if spec.ServiceAccountName != "" && spec.Provider != v1alpha1.GitProviderAzure && spec.Provider != v1alpha1.GitProviderAWS {
		errs = append(errs, field.Forbidden(path.Child("serviceAccountName"), "only supported with provider azure or aws"))
	}
	errs = append(errs, validateOptionalServiceAccountName(spec.ServiceAccountName, path.Child("serviceAccountName"))...)
	errs = append(errs, validateInterval(spec.Interval, path.Child("interval"))...)
	errs = append(errs, validateOptionalDuration(spec.Timeout, path.Child("timeout"))...)
	if ref := spec.Reference; ref != nil && ref.SemVer != "" {
		errs = append(errs, validateSemverRange(ref.SemVer, path.Child("ref", "semver"))...)
	}
	if ref := spec.Reference; ref != nil && ref.Name != "" && !strings.HasPrefix(ref.Name, "refs/") {
		errs = append(errs, field.Invalid(path.Child("ref", "name"), ref.Name, "must be a full reference starting with refs/"))
	}
	if verify := spec.Verification; verify != nil {
		errs = append(errs, validateEnum(verify.Mode, path.Child("verify", "mode"), true,
			v1alpha1.GitVerifyHEAD, v1alpha1.GitVerifyHEADLowercase, v1alpha1.GitVerifyTag, v1alpha1.GitVerifyTagAndHEAD)...)
		errs = append(errs, validateName(verify.SecretRef.Name, path.Child("verify", "secretRef", "name"))...)
	}
	errs = append(errs, validateLocalRef(spec.ProxySecretRef, path.Child("proxySecretRef"))...)
	for i, include := range spec.Include {
		errs = append(errs, validateName(include.GitRepositoryRef.Name, path.Child("include").Index(i).Child("repository", "name"))...)
	}
	return errs
}

// ValidateOCIRepositorySpec checks the spec of a new or updated OCIRepository.
func ValidateOCIRepositorySpec(spec v1alpha1.OCIRepositorySpec, path *field.Path) field.ErrorList {
	var errs field.ErrorList

	errs = append(errs, validateURL(spec.URL, path.Child("url"), "oci")...)
	if ref := spec.Reference; ref != nil {
		refPath := path.Child("ref")
		if ref.SemVer != "" {
			errs = append(errs, validateSemverRange(ref.SemVer, refPath.Child("semver"))...)
		}
		if ref.SemverFilter != "" {
			errs = append(errs, validateRegexp(ref.SemverFilter, refPath.Child("semverFilter"))...)
		}
		if ref.Digest != "" && !strings.Contains(ref.Digest, ":") {
			errs = append(errs, field.Invalid(refPath.Child("digest"), ref.Digest, "must look like <algorithm>:<hex>, e.g. sha256:..."))
		}
	}
	if selector := spec.LayerSelector; selector != nil {
		errs = append(errs, validateEnum(selector.Operation, path.Child("layerSelector", "operation"), true,
			v1alpha1.OCILayerExtract, v1alpha1.OCILayerCopy)...)
	}
	errs = append(errs, validateEnum(spec.Provider, path.Child("provider"), true, cloudProviders...)...)
	errs = append(errs, validateLocalRef(spec.SecretRef, path.Child("secretRef"))...)
	if verify := spec.Verify; verify != nil {
		verifyPath := path.Child("verify")
		errs = append(errs, validateVerificationProvider(verify.Provider, verifyPath.Child("provider"))...)
		errs = append(errs, validateLocalRef(verify.SecretRef, verifyPath.Child("secretRef"))...)
		errs = append(errs, validateOIDCIdentities(verify.MatchOIDCIdentity, verifyPath.Child("matchOIDCIdentity"))...)
		errs = append(errs, validateLocalRef(verify.TrustedRootSecretRef, verifyPath.Child("trustedRootSecretRef"))...)
	}
	errs = append(errs, validateOptionalServiceAccountName(spec.ServiceAccountName, path.Child("serviceAccountName"))...)
	errs = append(errs, validateLocalRef(spec.CertSecretRef, path.Child("certSecretRef"))...)
	errs = append(errs, validateLocalRef(spec.ProxySecretRef, path.Child("proxySecretRef"))...)
	errs = append(errs, validateInterval(spec.Interval, path.Child("interval"))...)
	errs = append(errs, validateOptionalDuration(spec.Timeout, path.Child("timeout"))...)
	return errs
}

// ValidateHelmRepositorySpec checks the spec of a new or updated HelmRepository.
func ValidateHelmRepositorySpec(spec v1alpha1.HelmRepositorySpec, path *field.Path) field.ErrorList {
	var errs field.ErrorList

	errs = append(errs, validateEnum(spec.Type, path.Child("type"), true,
		v1alpha1.HelmRepositoryTypeDefault, v1alpha1.HelmRepositoryTypeOCI)...)
	if spec.Type == v1alpha1.HelmRepositoryTypeOCI {
		errs = append(errs, validateURL(spec.URL, path.Child("url"), "oci")...)
	} else {
		// An oci:// URL with the default type is a common slip: say what to change.
		if strings.HasPrefix(strings.ToLower(spec.URL), "oci://") {
			errs = append(errs, field.Invalid(path.Child("url"), spec.URL, "oci:// URLs need spec.type: oci"))
		} else {
			errs = append(errs, validateURL(spec.URL, path.Child("url"), "http", "https")...)
		}
	}
	errs = append(errs, validateLocalRef(spec.SecretRef, path.Child("secretRef"))...)
	errs = append(errs, validateLocalRef(spec.CertSecretRef, path.Child("certSecretRef"))...)
	// The interval is optional: OCI repositories are not polled.
	if spec.Interval.Duration != 0 {
		errs = append(errs, validatePositiveDuration(spec.Interval, path.Child("interval"))...)
	}
	errs = append(errs, validateOptionalDuration(spec.Timeout, path.Child("timeout"))...)
	errs = append(errs, validateAccessFrom(spec.AccessFrom, path.Child("accessFrom"))...)
	errs = append(errs, validateEnum(spec.Provider, path.Child("provider"), true, cloudProviders...)...)
	return errs
}

// ValidateHelmChartSpec checks the spec of a new or updated HelmChart.
func ValidateHelmChartSpec(spec v1alpha1.HelmChartSpec, path *field.Path) field.ErrorList {
	var errs field.ErrorList

	errs = append(errs, requireString(spec.Chart, path.Child("chart"))...)
	sourcePath := path.Child("sourceRef")
	errs = append(errs, validateGroupAPIVersion(spec.SourceRef.APIVersion, sourcePath.Child("apiVersion"))...)
	errs = append(errs, validateEnum(spec.SourceRef.Kind, sourcePath.Child("kind"), false, v1alpha1.HelmChartSourceRef.Kinds...)...)
	errs = append(errs, validateName(spec.SourceRef.Name, sourcePath.Child("name"))...)
	// Versions only mean something for charts from a Helm repository.
	if spec.SourceRef.Kind == v1alpha1.HelmRepositoryKind && spec.Version != "" {
		errs = append(errs, validateSemverRange(spec.Version, path.Child("version"))...)
	}
	errs = append(errs, validateInterval(spec.Interval, path.Child("interval"))...)
	errs = append(errs, validateEnum(spec.ReconcileStrategy, path.Child("reconcileStrategy"), true,
		v1alpha1.ReconcileStrategyChartVersion, v1alpha1.ReconcileStrategyRevision)...)
	if verify := spec.Verify; verify != nil {
		verifyPath := path.Child("verify")
		if spec.SourceRef.Kind != v1alpha1.HelmRepositoryKind {
			errs = append(errs, field.Forbidden(verifyPath, "only supported for charts from a HelmRepository of type oci"))
		}
		errs = append(errs, validateHelmChartVerification(verify, verifyPath)...)
	}
	return errs
}

// validateHelmChartVerification checks the verify section of a HelmChart or
// of the chart template of a HelmRelease.
func validateHelmChartVerification(verify *v1alpha1.HelmChartVerification, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, validateVerificationProvider(verify.Provider, path.Child("provider"))...)
	errs = append(errs, validateLocalRef(verify.SecretRef, path.Child("secretRef"))...)
	errs = append(errs, validateOIDCIdentities(verify.MatchOIDCIdentity, path.Child("matchOIDCIdentity"))...)
	return errs
}

// ValidateBucketSpec checks the spec of a new or updated Bucket.
func ValidateBucketSpec(spec v1alpha1.BucketSpec, path *field.Path) field.ErrorList {
	var errs field.ErrorList

	errs = append(errs, validateEnum(spec.Provider, path.Child("provider"), true, cloudProviders...)...)
	errs = append(errs, requireString(spec.BucketName, path.Child("bucketName"))...)
	errs = append(errs, requireString(spec.Endpoint, path.Child("endpoint"))...)
	provider := spec.Provider
	if provider == "" {
		provider = v1alpha1.CloudProviderGeneric
	}
	if sts := spec.STS; sts != nil {
		errs = append(errs, validateBucketSTS(sts, provider, path.Child("sts"))...)
	}
	errs = append(errs, validateLocalRef(spec.SecretRef, path.Child("secretRef"))...)
	if spec.ServiceAccountName != "" {
		saPath := path.Child("serviceAccountName")
		if provider == v1alpha1.CloudProviderGeneric {
			errs = append(errs, field.Forbidden(saPath, "not supported with provider generic"))
		}
		if spec.SecretRef != nil {
			errs = append(errs, field.Forbidden(saPath, "cannot be set together with secretRef"))
		}
		errs = append(errs, validateName(spec.ServiceAccountName, saPath)...)
	}
	errs = append(errs, validateLocalRef(spec.CertSecretRef, path.Child("certSecretRef"))...)
	errs = append(errs, validateLocalRef(spec.ProxySecretRef, path.Child("proxySecretRef"))...)
	errs = append(errs, validateInterval(spec.Interval, path.Child("interval"))...)
	errs = append(errs, validateOptionalDuration(spec.Timeout, path.Child("timeout"))...)
	return errs
}

// validateBucketSTS enforces which token services each bucket provider supports.
func validateBucketSTS(sts *v1alpha1.BucketSTSSpec, bucketProvider string, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, validateEnum(sts.Provider, path.Child("provider"), false, v1alpha1.STSProviderAWS, v1alpha1.STSProviderLDAP)...)
	errs = append(errs, validateURL(sts.Endpoint, path.Child("endpoint"), "http", "https")...)
	switch bucketProvider {
	case v1alpha1.CloudProviderAWS:
		if sts.Provider != "" && sts.Provider != v1alpha1.STSProviderAWS {
			errs = append(errs, field.Invalid(path.Child("provider"), sts.Provider, "must be aws for provider aws"))
		}
		if sts.SecretRef != nil {
			errs = append(errs, field.Forbidden(path.Child("secretRef"), "not used by the aws token service"))
		}
		if sts.CertSecretRef != nil {
			errs = append(errs, field.Forbidden(path.Child("certSecretRef"), "not used by the aws token service"))
		}
	case v1alpha1.CloudProviderGeneric:
		if sts.Provider != "" && sts.Provider != v1alpha1.STSProviderLDAP {
			errs = append(errs, field.Invalid(path.Child("provider"), sts.Provider, "must be ldap for provider generic"))
		}
	default:
		errs = append(errs, field.Forbidden(path, "only supported with provider aws or generic"))
	}
	errs = append(errs, validateLocalRef(sts.SecretRef, path.Child("secretRef"))...)
	errs = append(errs, validateLocalRef(sts.CertSecretRef, path.Child("certSecretRef"))...)
	return errs
}

func validateVerificationProvider(provider string, path *field.Path) field.ErrorList {
	return validateEnum(provider, path, false, v1alpha1.VerificationProviderCosign, v1alpha1.VerificationProviderNotation)
}

func validateOIDCIdentities(matches []v1alpha1.OIDCIdentityMatch, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, match := range matches {
		matchPath := path.Index(i)
		if match.Issuer == "" {
			errs = append(errs, field.Required(matchPath.Child("issuer"), ""))
		} else {
			errs = append(errs, validateRegexp(match.Issuer, matchPath.Child("issuer"))...)
		}
		if match.Subject == "" {
			errs = append(errs, field.Required(matchPath.Child("subject"), ""))
		} else {
			errs = append(errs, validateRegexp(match.Subject, matchPath.Child("subject"))...)
		}
	}
	return errs
}

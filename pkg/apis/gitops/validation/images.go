package validation

import (
	"strings"

	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// maxImageExclusions is Flux's limit on ImageRepository exclusion rules.
const maxImageExclusions = 25

// ValidateImageRepositorySpec checks the spec of a new or updated ImageRepository.
func ValidateImageRepositorySpec(spec v1alpha1.ImageRepositorySpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList

	errs = append(errs, validateImageName(spec.Image, p.Child("image"))...)
	errs = append(errs, validateInterval(spec.Interval, p.Child("interval"))...)
	errs = append(errs, validateOptionalDuration(spec.Timeout, p.Child("timeout"))...)
	errs = append(errs, validateLocalRef(spec.SecretRef, p.Child("secretRef"))...)
	errs = append(errs, validateLocalRef(spec.ProxySecretRef, p.Child("proxySecretRef"))...)
	errs = append(errs, validateOptionalServiceAccountName(spec.ServiceAccountName, p.Child("serviceAccountName"))...)
	errs = append(errs, validateLocalRef(spec.CertSecretRef, p.Child("certSecretRef"))...)
	errs = append(errs, validateAccessFrom(spec.AccessFrom, p.Child("accessFrom"))...)
	if len(spec.ExclusionList) > maxImageExclusions {
		errs = append(errs, field.TooMany(p.Child("exclusionList"), len(spec.ExclusionList), maxImageExclusions))
	}
	errs = append(errs, validateRegexps(spec.ExclusionList, p.Child("exclusionList"))...)
	errs = append(errs, validateEnum(spec.Provider, p.Child("provider"), true, cloudProviders...)...)
	return errs
}

// validateImageName accepts a repository such as ghcr.io/org/app or
// localhost:5000/app, and rejects a scheme, a tag or a digest: the
// repository is scanned for tags, so naming one makes no sense.
func validateImageName(image string, p *field.Path) field.ErrorList {
	if image == "" {
		return field.ErrorList{field.Required(p, "an image repository such as ghcr.io/org/app")}
	}
	if strings.Contains(image, "://") {
		return field.ErrorList{field.Invalid(p, image, "must not have a scheme")}
	}
	if strings.Contains(image, "@") {
		return field.ErrorList{field.Invalid(p, image, "must not have a digest")}
	}
	// A colon after the last slash is a tag; one before it belongs to a registry port.
	if name := image[strings.LastIndex(image, "/")+1:]; strings.Contains(name, ":") {
		return field.ErrorList{field.Invalid(p, image, "must not have a tag")}
	}
	return nil
}

// ValidateImagePolicySpec checks the spec of a new or updated ImagePolicy.
func ValidateImagePolicySpec(spec v1alpha1.ImagePolicySpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList

	errs = append(errs, validateName(spec.ImageRepositoryRef.Name, p.Child("imageRepositoryRef", "name"))...)
	errs = append(errs, validateOptionalNamespace(spec.ImageRepositoryRef.Namespace, p.Child("imageRepositoryRef", "namespace"))...)
	errs = append(errs, validatePolicyChoice(spec.Policy, p.Child("policy"))...)
	if filter := spec.FilterTags; filter != nil {
		errs = append(errs, validateRegexp(filter.Pattern, p.Child("filterTags", "pattern"))...)
		if filter.Extract != "" && filter.Pattern == "" {
			errs = append(errs, field.Required(p.Child("filterTags", "pattern"), "extract needs a pattern with capture groups"))
		}
	}
	errs = append(errs, validateEnum(spec.DigestReflectionPolicy, p.Child("digestReflectionPolicy"), true,
		v1alpha1.ReflectAlways, v1alpha1.ReflectIfNotPresent, v1alpha1.ReflectNever)...)
	// The interval only drives digest refreshes, which only Always performs.
	switch {
	case spec.DigestReflectionPolicy == v1alpha1.ReflectAlways && spec.Interval == nil:
		errs = append(errs, field.Required(p.Child("interval"), "digestReflectionPolicy Always refreshes the digest every interval"))
	case spec.DigestReflectionPolicy != v1alpha1.ReflectAlways && spec.Interval != nil:
		errs = append(errs, field.Forbidden(p.Child("interval"), "only used with digestReflectionPolicy Always"))
	}
	errs = append(errs, validateOptionalDuration(spec.Interval, p.Child("interval"))...)
	return errs
}

func validatePolicyChoice(choice v1alpha1.ImagePolicyChoice, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	chosen := 0
	if choice.SemVer != nil {
		chosen++
		if choice.SemVer.Range == "" {
			errs = append(errs, field.Required(p.Child("semver", "range"), "a semver range such as >=1.0.0"))
		} else {
			errs = append(errs, validateSemverRange(choice.SemVer.Range, p.Child("semver", "range"))...)
		}
	}
	if choice.Alphabetical != nil {
		chosen++
		errs = append(errs, validateSortOrder(choice.Alphabetical.Order, p.Child("alphabetical", "order"))...)
	}
	if choice.Numerical != nil {
		chosen++
		errs = append(errs, validateSortOrder(choice.Numerical.Order, p.Child("numerical", "order"))...)
	}
	switch {
	case chosen == 0:
		errs = append(errs, field.Required(p, "one of semver, alphabetical and numerical"))
	case chosen > 1:
		errs = append(errs, field.Invalid(p, "<multiple>", "set only one of semver, alphabetical and numerical"))
	}
	return errs
}

func validateSortOrder(order v1alpha1.SortOrder, p *field.Path) field.ErrorList {
	return validateEnum(order, p, true, v1alpha1.SortOrderAscending, v1alpha1.SortOrderDescending)
}

// ValidateImageUpdateAutomationSpec checks the spec of a new or updated ImageUpdateAutomation.
func ValidateImageUpdateAutomationSpec(spec v1alpha1.ImageUpdateAutomationSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList

	errs = append(errs, validateSourceRef(spec.SourceRef, p.Child("sourceRef"), v1alpha1.ImageUpdateAutomationSourceRef)...)
	if git := spec.GitSpec; git != nil {
		gitPath := p.Child("git")
		if checkout := git.Checkout; checkout != nil && checkout.Reference.SemVer != "" {
			errs = append(errs, validateSemverRange(checkout.Reference.SemVer, gitPath.Child("checkout", "ref", "semver"))...)
		}
		errs = append(errs, requireString(git.Commit.Author.Email, gitPath.Child("commit", "author", "email"))...)
		if key := git.Commit.SigningKey; key != nil {
			errs = append(errs, validateName(key.SecretRef.Name, gitPath.Child("commit", "signingKey", "secretRef", "name"))...)
			errs = append(errs, validateEnum(key.Type, gitPath.Child("commit", "signingKey", "type"), true,
				v1alpha1.SigningKeyTypeGPG, v1alpha1.SigningKeyTypeSSH)...)
		}
	}
	errs = append(errs, validateInterval(spec.Interval, p.Child("interval"))...)
	if spec.PolicySelector != nil {
		errs = append(errs, metav1validation.ValidateLabelSelector(spec.PolicySelector,
			metav1validation.LabelSelectorValidationOptions{}, p.Child("policySelector"))...)
	}
	if update := spec.Update; update != nil {
		errs = append(errs, validateEnum(update.Strategy, p.Child("update", "strategy"), true, v1alpha1.UpdateStrategySetters)...)
	}
	return errs
}

// Package validation checks gitops.io objects before they are stored. Every
// error carries the full field path (spec.sourceRef.kind, ...) so that
// kubectl points at the offending line.
package validation

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// Field checks shared by the kinds.

var (
	specPath     = field.NewPath("spec")
	metadataPath = field.NewPath("metadata")
)

// ValidateObjectMeta checks the metadata of a new object of any kind: the
// name (a DNS subdomain: it also becomes a file name in the storage
// repository), namespace, labels and annotations. On update the generic
// registry checks the metadata against the old object.
func ValidateObjectMeta(meta metav1.Object) field.ErrorList {
	return apimachineryvalidation.ValidateObjectMetaAccessor(meta, true, apimachineryvalidation.NameIsDNSSubdomain, metadataPath)
}

// ValidateConditions checks status conditions the way Kubernetes checks them
// for built-in kinds: known status values, a CamelCase reason, a transition time.
func ValidateConditions(conditions []metav1.Condition, path *field.Path) field.ErrorList {
	return metav1validation.ValidateConditions(conditions, path)
}

func requireString(value string, path *field.Path) field.ErrorList {
	if strings.TrimSpace(value) == "" {
		return field.ErrorList{field.Required(path, "")}
	}
	return nil
}

// validateName checks a reference to an object by name: required, and a
// valid object name.
func validateName(name string, path *field.Path) field.ErrorList {
	if name == "" {
		return field.ErrorList{field.Required(path, "")}
	}
	var errs field.ErrorList
	for _, msg := range apimachineryvalidation.NameIsDNSSubdomain(name, false) {
		errs = append(errs, field.Invalid(path, name, msg))
	}
	return errs
}

func validateOptionalNamespace(namespace string, path *field.Path) field.ErrorList {
	if namespace == "" {
		return nil
	}
	var errs field.ErrorList
	for _, msg := range apimachineryvalidation.ValidateNamespaceName(namespace, false) {
		errs = append(errs, field.Invalid(path, namespace, msg))
	}
	return errs
}

func validateOptionalServiceAccountName(name string, path *field.Path) field.ErrorList {
	if name == "" {
		return nil
	}
	return validateName(name, path)
}

func validateLocalRef(ref *v1alpha1.LocalObjectReference, path *field.Path) field.ErrorList {
	if ref == nil {
		return nil
	}
	return validateName(ref.Name, path.Child("name"))
}

// validateInterval checks a required duration: set and positive. A zero
// duration is reported as missing, since that is what an absent field decodes to.
func validateInterval(interval v1alpha1.Duration, path *field.Path) field.ErrorList {
	if interval.Duration == 0 && interval.Parse() == nil {
		return field.ErrorList{field.Required(path, "a positive Go duration such as 1m or 1h30m")}
	}
	return validatePositiveDuration(interval, path)
}

func validateOptionalDuration(duration *v1alpha1.Duration, path *field.Path) field.ErrorList {
	if duration == nil {
		return nil
	}
	return validatePositiveDuration(*duration, path)
}

func validatePositiveDuration(duration v1alpha1.Duration, path *field.Path) field.ErrorList {
	if err := duration.Parse(); err != nil {
		return field.ErrorList{field.Invalid(path, duration.String(), err.Error())}
	}
	if duration.Duration <= 0 {
		return field.ErrorList{field.Invalid(path, duration.String(), "must be greater than zero")}
	}
	return nil
}

// validateEnum accepts value when it is one of allowed; empty is accepted
// only when emptyAllowed (optional fields whose default applies elsewhere).
func validateEnum[T ~string](value T, path *field.Path, emptyAllowed bool, allowed ...T) field.ErrorList {
	if value == "" {
		if emptyAllowed {
			return nil
		}
		return field.ErrorList{field.Required(path, "one of "+strings.Join(toStrings(allowed), ", "))}
	}
	for _, a := range allowed {
		if value == a {
			return nil
		}
	}
	return field.ErrorList{field.NotSupported(path, value, toStrings(allowed))}
}

func toStrings[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// validateURL checks that raw parses as an absolute URL with one of the
// schemes and, except for file://, a host.
func validateURL(raw string, path *field.Path, schemes ...string) field.ErrorList {
	if raw == "" {
		return field.ErrorList{field.Required(path, "a URL with scheme "+schemeList(schemes))}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return field.ErrorList{field.Invalid(path, raw, fmt.Sprintf("not a URL: %v", err))}
	}
	if !sets.New(schemes...).Has(strings.ToLower(u.Scheme)) {
		return field.ErrorList{field.Invalid(path, raw, "scheme must be "+schemeList(schemes))}
	}
	if strings.ToLower(u.Scheme) != "file" && u.Host == "" {
		return field.ErrorList{field.Invalid(path, raw, "must name a host")}
	}
	if strings.ToLower(u.Scheme) == "file" && u.Path == "" {
		return field.ErrorList{field.Invalid(path, raw, "must name a path")}
	}
	return nil
}

func schemeList(schemes []string) string {
	quoted := make([]string, len(schemes))
	for i, s := range schemes {
		quoted[i] = s + "://"
	}
	return strings.Join(quoted, ", ")
}

func validateOptionalURL(raw string, path *field.Path, schemes ...string) field.ErrorList {
	if raw == "" {
		return nil
	}
	return validateURL(raw, path, schemes...)
}

// validateSemverRange checks a semver constraint such as '>=1.2.0 <2' or '1.x'.
func validateSemverRange(expr string, path *field.Path) field.ErrorList {
	if _, err := semver.NewConstraint(expr); err != nil {
		return field.ErrorList{field.Invalid(path, expr, fmt.Sprintf("not a semver range: %v", err))}
	}
	return nil
}

func validateRegexp(expr string, path *field.Path) field.ErrorList {
	if _, err := regexp.Compile(expr); err != nil {
		return field.ErrorList{field.Invalid(path, expr, fmt.Sprintf("not a Go regular expression: %v", err))}
	}
	return nil
}

func validateRegexps(exprs []string, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, expr := range exprs {
		errs = append(errs, validateRegexp(expr, path.Index(i))...)
	}
	return errs
}

func validateLabels(labels map[string]string, path *field.Path) field.ErrorList {
	return metav1validation.ValidateLabels(labels, path)
}

func validateAnnotations(annotations map[string]string, path *field.Path) field.ErrorList {
	return apimachineryvalidation.ValidateAnnotations(annotations, path)
}

func validateMaxLength(value string, max int, path *field.Path) field.ErrorList {
	if len(value) > max {
		return field.ErrorList{field.TooLong(path, value, max)}
	}
	return nil
}

// validateGroupAPIVersion accepts an empty apiVersion or one of this group:
// a reference still naming a Flux group (source.toolkit.fluxcd.io/v1) would
// point at nothing here.
func validateGroupAPIVersion(apiVersion string, path *field.Path) field.ErrorList {
	if apiVersion == "" {
		return nil
	}
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil {
		return field.ErrorList{field.Invalid(path, apiVersion, err.Error())}
	}
	if gv.Group != v1alpha1.GroupName {
		return field.ErrorList{field.Invalid(path, apiVersion,
			fmt.Sprintf("must be in group %s (for example %s) or empty", v1alpha1.GroupName, v1alpha1.SchemeGroupVersion))}
	}
	return nil
}

// validateSourceRef checks a reference to a source of a kind the field accepts.
func validateSourceRef(ref v1alpha1.CrossNamespaceSourceReference, path *field.Path, f v1alpha1.RefField) field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, validateGroupAPIVersion(ref.APIVersion, path.Child("apiVersion"))...)
	errs = append(errs, validateEnum(ref.Kind, path.Child("kind"), false, f.Kinds...)...)
	errs = append(errs, validateName(ref.Name, path.Child("name"))...)
	errs = append(errs, validateOptionalNamespace(ref.Namespace, path.Child("namespace"))...)
	return errs
}

// validateDependsOn checks dependencies: a kind, when given, must be one
// whose readiness is kept. Without one the dependency is of the referrer's
// kind, Flux's meaning, which is always accepted.
func validateDependsOn(deps []v1alpha1.DependencyReference, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, dep := range deps {
		if dep.Kind != "" && !slices.Contains(v1alpha1.DependencyKinds, dep.Kind) {
			errs = append(errs, field.NotSupported(path.Index(i).Child("kind"), dep.Kind, v1alpha1.DependencyKinds))
		}
		errs = append(errs, validateName(dep.Name, path.Index(i).Child("name"))...)
		errs = append(errs, validateOptionalNamespace(dep.Namespace, path.Index(i).Child("namespace"))...)
	}
	return errs
}

func validateKubeConfig(ref *v1alpha1.KubeConfigReference, path *field.Path) field.ErrorList {
	if ref == nil {
		return nil
	}
	var errs field.ErrorList
	switch {
	case ref.ConfigMapRef == nil && ref.SecretRef == nil:
		errs = append(errs, field.Required(path, "exactly one of configMapRef and secretRef"))
	case ref.ConfigMapRef != nil && ref.SecretRef != nil:
		errs = append(errs, field.Forbidden(path.Child("secretRef"), "cannot be set together with configMapRef"))
	}
	errs = append(errs, validateLocalRef(ref.ConfigMapRef, path.Child("configMapRef"))...)
	if ref.SecretRef != nil {
		errs = append(errs, validateName(ref.SecretRef.Name, path.Child("secretRef", "name"))...)
	}
	return errs
}

func validateAccessFrom(acl *v1alpha1.AccessFrom, path *field.Path) field.ErrorList {
	if acl == nil {
		return nil
	}
	var errs field.ErrorList
	for i, selector := range acl.NamespaceSelectors {
		errs = append(errs, validateLabels(selector.MatchLabels, path.Child("namespaceSelectors").Index(i).Child("matchLabels"))...)
	}
	return errs
}

// validateJSONObject checks that raw holds a JSON object, as Helm values must.
func validateJSONObject(raw *runtime.RawExtension, path *field.Path) field.ErrorList {
	if raw == nil || len(raw.Raw) == 0 {
		return nil
	}
	var object map[string]any
	if err := json.Unmarshal(raw.Raw, &object); err != nil {
		return field.ErrorList{field.Invalid(path, "<values>", "must be an object of Helm values")}
	}
	return nil
}

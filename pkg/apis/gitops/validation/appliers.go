package validation

import (
	"regexp"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// ValidateKustomizationSpec checks the spec of a new or updated Kustomization.
func ValidateKustomizationSpec(spec v1alpha1.KustomizationSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList

	errs = append(errs, validateCommonMetadata(spec.CommonMetadata, p.Child("commonMetadata"))...)
	errs = append(errs, validateDependsOn(spec.DependsOn, p.Child("dependsOn"))...)
	if d := spec.Decryption; d != nil {
		errs = append(errs, validateEnum(d.Provider, p.Child("decryption", "provider"), false, v1alpha1.DecryptionProviderSOPS)...)
		errs = append(errs, validateOptionalServiceAccountName(d.ServiceAccountName, p.Child("decryption", "serviceAccountName"))...)
		errs = append(errs, validateLocalRef(d.SecretRef, p.Child("decryption", "secretRef"))...)
	}
	errs = append(errs, validateInterval(spec.Interval, p.Child("interval"))...)
	errs = append(errs, validateOptionalDuration(spec.RetryInterval, p.Child("retryInterval"))...)
	errs = append(errs, validateKubeConfig(spec.KubeConfig, p.Child("kubeConfig"))...)
	if pb := spec.PostBuild; pb != nil {
		errs = append(errs, validatePostBuild(pb, p.Child("postBuild"))...)
	}
	if spec.Prune == nil {
		errs = append(errs, field.Required(p.Child("prune"), "true to delete objects that disappear from the source, false to keep them"))
	}
	errs = append(errs, validateEnum(spec.DeletionPolicy, p.Child("deletionPolicy"), true,
		v1alpha1.DeletionPolicyMirrorPrune, v1alpha1.DeletionPolicyDelete,
		v1alpha1.DeletionPolicyWaitForTermination, v1alpha1.DeletionPolicyOrphan)...)
	for i, check := range spec.HealthChecks {
		checkPath := p.Child("healthChecks").Index(i)
		errs = append(errs, requireString(check.Kind, checkPath.Child("kind"))...)
		errs = append(errs, validateName(check.Name, checkPath.Child("name"))...)
		errs = append(errs, validateOptionalNamespace(check.Namespace, checkPath.Child("namespace"))...)
	}
	errs = append(errs, validateMaxLength(spec.NamePrefix, 200, p.Child("namePrefix"))...)
	errs = append(errs, validateMaxLength(spec.NameSuffix, 200, p.Child("nameSuffix"))...)
	errs = append(errs, validatePatches(spec.Patches, p.Child("patches"))...)
	errs = append(errs, validateImages(spec.Images, p.Child("images"))...)
	errs = append(errs, validateOptionalServiceAccountName(spec.ServiceAccountName, p.Child("serviceAccountName"))...)
	errs = append(errs, validateSourceRef(spec.SourceRef, p.Child("sourceRef"), v1alpha1.KustomizationSourceRef)...)
	errs = append(errs, validateOptionalNamespace(spec.TargetNamespace, p.Child("targetNamespace"))...)
	errs = append(errs, validateOptionalDuration(spec.Timeout, p.Child("timeout"))...)
	for i, option := range spec.BuildMetadata {
		errs = append(errs, validateEnum(option, p.Child("buildMetadata").Index(i), false,
			v1alpha1.BuildMetadataOriginAnnotations, v1alpha1.BuildMetadataTransformerAnnotations)...)
	}
	errs = append(errs, validateHealthCheckExprs(spec.HealthCheckExprs, p.Child("healthCheckExprs"))...)
	errs = append(errs, validateIgnoreRules(spec.Ignore, p.Child("ignore"))...)
	return errs
}

func validatePostBuild(pb *v1alpha1.PostBuild, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, validateEnum(pb.SubstituteStrategy, p.Child("substituteStrategy"), true,
		v1alpha1.SubstituteStrategyWithVariables, v1alpha1.SubstituteStrategyAlways)...)
	for name := range pb.Substitute {
		if !substituteVariableName.MatchString(name) {
			errs = append(errs, field.Invalid(p.Child("substitute").Key(name), name, "variable names are letters, digits and underscores, not starting with a digit"))
		}
	}
	for i, ref := range pb.SubstituteFrom {
		refPath := p.Child("substituteFrom").Index(i)
		errs = append(errs, validateEnum(ref.Kind, refPath.Child("kind"), false, v1alpha1.ValuesKindConfigMap, v1alpha1.ValuesKindSecret)...)
		errs = append(errs, validateName(ref.Name, refPath.Child("name"))...)
	}
	return errs
}

// substituteVariableName is what ${var} substitution can refer to.
var substituteVariableName = regexp.MustCompile(`^[_a-zA-Z][_a-zA-Z0-9]*$`)

func validateCommonMetadata(meta *v1alpha1.CommonMetadata, p *field.Path) field.ErrorList {
	if meta == nil {
		return nil
	}
	errs := validateLabels(meta.Labels, p.Child("labels"))
	return append(errs, validateAnnotations(meta.Annotations, p.Child("annotations"))...)
}

func validatePatches(patches []v1alpha1.Patch, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, patch := range patches {
		errs = append(errs, requireString(patch.Patch, p.Index(i).Child("patch"))...)
	}
	return errs
}

func validateImages(images []v1alpha1.Image, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, image := range images {
		errs = append(errs, requireString(image.Name, p.Index(i).Child("name"))...)
	}
	return errs
}

func validateHealthCheckExprs(checks []v1alpha1.CustomHealthCheck, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, check := range checks {
		errs = append(errs, requireString(check.APIVersion, p.Index(i).Child("apiVersion"))...)
		errs = append(errs, requireString(check.Current, p.Index(i).Child("current"))...)
	}
	return errs
}

func validateIgnoreRules(rules []v1alpha1.IgnoreRule, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, rule := range rules {
		if len(rule.Paths) == 0 {
			errs = append(errs, field.Required(p.Index(i).Child("paths"), "at least one JSON pointer"))
		}
	}
	return errs
}

package validation

import (
	"regexp"

	utilvalidation "k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// maxHelmReleaseNameLength is Helm's own limit on release names.
const maxHelmReleaseNameLength = 53

var valuesKeyPattern = regexp.MustCompile(`^[\-._a-zA-Z0-9]+$`)

// ValidateHelmReleaseSpec checks the spec of a new or updated HelmRelease.
func ValidateHelmReleaseSpec(spec v1alpha1.HelmReleaseSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList

	switch {
	case spec.Chart == nil && spec.ChartRef == nil:
		errs = append(errs, field.Required(p.Child("chart"), "exactly one of chart and chartRef"))
	case spec.Chart != nil && spec.ChartRef != nil:
		errs = append(errs, field.Forbidden(p.Child("chartRef"), "cannot be set together with chart"))
	}
	if spec.Chart != nil {
		errs = append(errs, validateHelmChartTemplate(spec.Chart, p.Child("chart"))...)
	}
	if spec.ChartRef != nil {
		errs = append(errs, validateSourceRef(*spec.ChartRef, p.Child("chartRef"), v1alpha1.HelmReleaseChartRef)...)
	}
	errs = append(errs, validateInterval(spec.Interval, p.Child("interval"))...)
	errs = append(errs, validateKubeConfig(spec.KubeConfig, p.Child("kubeConfig"))...)
	if spec.ReleaseName != "" {
		errs = append(errs, validateMaxLength(spec.ReleaseName, maxHelmReleaseNameLength, p.Child("releaseName"))...)
		for _, msg := range utilvalidation.IsDNS1123Subdomain(spec.ReleaseName) {
			errs = append(errs, field.Invalid(p.Child("releaseName"), spec.ReleaseName, msg))
		}
	}
	errs = append(errs, validateOptionalNamespace(spec.TargetNamespace, p.Child("targetNamespace"))...)
	errs = append(errs, validateOptionalNamespace(spec.StorageNamespace, p.Child("storageNamespace"))...)
	errs = append(errs, validateDependsOn(spec.DependsOn, p.Child("dependsOn"))...)
	errs = append(errs, validateOptionalDuration(spec.Timeout, p.Child("timeout"))...)
	if spec.MaxHistory != nil && *spec.MaxHistory < 0 {
		errs = append(errs, field.Invalid(p.Child("maxHistory"), *spec.MaxHistory, "must be 0 (unlimited) or more"))
	}
	errs = append(errs, validateOptionalServiceAccountName(spec.ServiceAccountName, p.Child("serviceAccountName"))...)
	if dd := spec.DriftDetection; dd != nil {
		errs = append(errs, validateEnum(dd.Mode, p.Child("driftDetection", "mode"), true,
			v1alpha1.DriftDetectionEnabled, v1alpha1.DriftDetectionWarn, v1alpha1.DriftDetectionDisabled)...)
		errs = append(errs, validateIgnoreRules(dd.Ignore, p.Child("driftDetection", "ignore"))...)
	}
	errs = append(errs, validateInstall(spec.Install, p.Child("install"))...)
	errs = append(errs, validateUpgrade(spec.Upgrade, p.Child("upgrade"))...)
	if test := spec.Test; test != nil {
		errs = append(errs, validateOptionalDuration(test.Timeout, p.Child("test", "timeout"))...)
		for i, filter := range test.Filters {
			errs = append(errs, requireString(filter.Name, p.Child("test", "filters").Index(i).Child("name"))...)
		}
	}
	if rollback := spec.Rollback; rollback != nil {
		errs = append(errs, validateOptionalDuration(rollback.Timeout, p.Child("rollback", "timeout"))...)
		errs = append(errs, validateServerSideApplyMode(rollback.ServerSideApply, p.Child("rollback", "serverSideApply"))...)
	}
	if uninstall := spec.Uninstall; uninstall != nil {
		errs = append(errs, validateOptionalDuration(uninstall.Timeout, p.Child("uninstall", "timeout"))...)
		if uninstall.DeletionPropagation != nil {
			errs = append(errs, validateEnum(*uninstall.DeletionPropagation, p.Child("uninstall", "deletionPropagation"), false,
				v1alpha1.DeletionPropagationBackground, v1alpha1.DeletionPropagationForeground, v1alpha1.DeletionPropagationOrphan)...)
		}
	}
	errs = append(errs, validateValuesFrom(spec.ValuesFrom, p.Child("valuesFrom"))...)
	errs = append(errs, validateJSONObject(spec.Values, p.Child("values"))...)
	errs = append(errs, validateCommonMetadata(spec.CommonMetadata, p.Child("commonMetadata"))...)
	for i, renderer := range spec.PostRenderers {
		if k := renderer.Kustomize; k != nil {
			rendererPath := p.Child("postRenderers").Index(i).Child("kustomize")
			errs = append(errs, validatePatches(k.Patches, rendererPath.Child("patches"))...)
			errs = append(errs, validateImages(k.Images, rendererPath.Child("images"))...)
		}
	}
	errs = append(errs, validateEnum(spec.PostRenderStrategy, p.Child("postRenderStrategy"), true,
		v1alpha1.PostRenderStrategyNoHooks, v1alpha1.PostRenderStrategyCombined, v1alpha1.PostRenderStrategySeparate)...)
	if ws := spec.WaitStrategy; ws != nil {
		errs = append(errs, validateEnum(ws.Name, p.Child("waitStrategy", "name"), false,
			v1alpha1.WaitStrategyPoller, v1alpha1.WaitStrategyLegacy)...)
	}
	errs = append(errs, validateHealthCheckExprs(spec.HealthCheckExprs, p.Child("healthCheckExprs"))...)
	return errs
}

func validateHelmChartTemplate(chart *v1alpha1.HelmChartTemplate, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if meta := chart.ObjectMeta; meta != nil {
		errs = append(errs, validateLabels(meta.Labels, p.Child("metadata", "labels"))...)
		errs = append(errs, validateAnnotations(meta.Annotations, p.Child("metadata", "annotations"))...)
	}
	spec, specP := chart.Spec, p.Child("spec")
	errs = append(errs, requireString(spec.Chart, specP.Child("chart"))...)
	errs = append(errs, validateSourceRef(spec.SourceRef, specP.Child("sourceRef"), v1alpha1.HelmChartSourceRef)...)
	if spec.SourceRef.Kind == v1alpha1.HelmRepositoryKind && spec.Version != "" {
		errs = append(errs, validateSemverRange(spec.Version, specP.Child("version"))...)
	}
	errs = append(errs, validateOptionalDuration(spec.Interval, specP.Child("interval"))...)
	errs = append(errs, validateEnum(spec.ReconcileStrategy, specP.Child("reconcileStrategy"), true,
		v1alpha1.ReconcileStrategyChartVersion, v1alpha1.ReconcileStrategyRevision)...)
	if spec.Verify != nil {
		errs = append(errs, validateHelmChartVerification(spec.Verify, specP.Child("verify"))...)
	}
	return errs
}

func validateInstall(install *v1alpha1.Install, p *field.Path) field.ErrorList {
	if install == nil {
		return nil
	}
	var errs field.ErrorList
	errs = append(errs, validateOptionalDuration(install.Timeout, p.Child("timeout"))...)
	if s := install.Strategy; s != nil {
		errs = append(errs, validateActionStrategy(s.Name, s.RetryInterval != nil, p.Child("strategy"))...)
		errs = append(errs, validateOptionalDuration(s.RetryInterval, p.Child("strategy", "retryInterval"))...)
	}
	errs = append(errs, validateCRDsPolicy(install.CRDs, p.Child("crds"))...)
	return errs
}

func validateUpgrade(upgrade *v1alpha1.Upgrade, p *field.Path) field.ErrorList {
	if upgrade == nil {
		return nil
	}
	var errs field.ErrorList
	errs = append(errs, validateOptionalDuration(upgrade.Timeout, p.Child("timeout"))...)
	if s := upgrade.Strategy; s != nil {
		errs = append(errs, validateActionStrategy(s.Name, s.RetryInterval != nil, p.Child("strategy"))...)
		errs = append(errs, validateOptionalDuration(s.RetryInterval, p.Child("strategy", "retryInterval"))...)
	}
	if r := upgrade.Remediation; r != nil && r.Strategy != nil {
		errs = append(errs, validateEnum(*r.Strategy, p.Child("remediation", "strategy"), false,
			v1alpha1.RemediationRollback, v1alpha1.RemediationUninstall)...)
	}
	errs = append(errs, validateCRDsPolicy(upgrade.CRDs, p.Child("crds"))...)
	errs = append(errs, validateServerSideApplyMode(upgrade.ServerSideApply, p.Child("serverSideApply"))...)
	errs = append(errs, validateEnum(upgrade.ChartNameChangeStrategy, p.Child("chartNameChangeStrategy"), true,
		v1alpha1.ChartNameChangeReinstall, v1alpha1.ChartNameChangeInPlaceUpdate)...)
	return errs
}

// validateActionStrategy checks an install or upgrade strategy: a retry
// interval only makes sense when failures are retried rather than remediated.
func validateActionStrategy(name v1alpha1.ActionStrategyName, hasRetryInterval bool, p *field.Path) field.ErrorList {
	errs := validateEnum(name, p.Child("name"), false,
		v1alpha1.ActionStrategyRemediateOnFailure, v1alpha1.ActionStrategyRetryOnFailure)
	if hasRetryInterval && name != v1alpha1.ActionStrategyRetryOnFailure {
		errs = append(errs, field.Forbidden(p.Child("retryInterval"), "only used with name RetryOnFailure"))
	}
	return errs
}

func validateCRDsPolicy(policy v1alpha1.CRDsPolicy, p *field.Path) field.ErrorList {
	return validateEnum(policy, p, true, v1alpha1.CRDsSkip, v1alpha1.CRDsCreate, v1alpha1.CRDsCreateReplace)
}

func validateServerSideApplyMode(mode v1alpha1.ServerSideApplyMode, p *field.Path) field.ErrorList {
	return validateEnum(mode, p, true,
		v1alpha1.ServerSideApplyEnabled, v1alpha1.ServerSideApplyDisabled, v1alpha1.ServerSideApplyAuto)
}

func validateValuesFrom(refs []v1alpha1.ValuesReference, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, ref := range refs {
		refPath := p.Index(i)
		errs = append(errs, validateEnum(ref.Kind, refPath.Child("kind"), false, v1alpha1.ValuesKindConfigMap, v1alpha1.ValuesKindSecret)...)
		errs = append(errs, validateName(ref.Name, refPath.Child("name"))...)
		if ref.ValuesKey != "" {
			errs = append(errs, validateMaxLength(ref.ValuesKey, 253, refPath.Child("valuesKey"))...)
			if !valuesKeyPattern.MatchString(ref.ValuesKey) {
				errs = append(errs, field.Invalid(refPath.Child("valuesKey"), ref.ValuesKey, "must be a ConfigMap or Secret data key"))
			}
		}
		errs = append(errs, validateMaxLength(ref.TargetPath, 250, refPath.Child("targetPath"))...)
	}
	return errs
}

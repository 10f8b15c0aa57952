package validation

import (
	"k8s.io/apimachinery/pkg/util/validation/field"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// Entry points, one pair per kind. Validate<Kind> checks a whole object, as
// on create or when a file arrives by git push. Validate<Kind>Update checks
// the new object of an update; the generic registry has already checked its
// metadata against the old object, so only the spec is left.

// ValidateGitRepository checks a GitRepository.
func ValidateGitRepository(obj *v1alpha1.GitRepository) field.ErrorList {
	return append(validateObjectMeta(&obj.ObjectMeta), validateGitRepositorySpec(obj.Spec, specPath)...)
}

// ValidateGitRepositoryUpdate checks an update of a GitRepository.
func ValidateGitRepositoryUpdate(newObj, _ *v1alpha1.GitRepository) field.ErrorList {
	return validateGitRepositorySpec(newObj.Spec, specPath)
}

// ValidateOCIRepository checks an OCIRepository.
func ValidateOCIRepository(obj *v1alpha1.OCIRepository) field.ErrorList {
	return append(validateObjectMeta(&obj.ObjectMeta), validateOCIRepositorySpec(obj.Spec, specPath)...)
}

// ValidateOCIRepositoryUpdate checks an update of an OCIRepository.
func ValidateOCIRepositoryUpdate(newObj, _ *v1alpha1.OCIRepository) field.ErrorList {
	return validateOCIRepositorySpec(newObj.Spec, specPath)
}

// ValidateHelmRepository checks a HelmRepository.
func ValidateHelmRepository(obj *v1alpha1.HelmRepository) field.ErrorList {
	return append(validateObjectMeta(&obj.ObjectMeta), validateHelmRepositorySpec(obj.Spec, specPath)...)
}

// ValidateHelmRepositoryUpdate checks an update of a HelmRepository.
func ValidateHelmRepositoryUpdate(newObj, _ *v1alpha1.HelmRepository) field.ErrorList {
	return validateHelmRepositorySpec(newObj.Spec, specPath)
}

// ValidateHelmChart checks a HelmChart.
func ValidateHelmChart(obj *v1alpha1.HelmChart) field.ErrorList {
	return append(validateObjectMeta(&obj.ObjectMeta), validateHelmChartSpec(obj.Spec, specPath)...)
}

// ValidateHelmChartUpdate checks an update of a HelmChart.
func ValidateHelmChartUpdate(newObj, _ *v1alpha1.HelmChart) field.ErrorList {
	return validateHelmChartSpec(newObj.Spec, specPath)
}

// ValidateBucket checks a Bucket.
func ValidateBucket(obj *v1alpha1.Bucket) field.ErrorList {
	return append(validateObjectMeta(&obj.ObjectMeta), validateBucketSpec(obj.Spec, specPath)...)
}

// ValidateBucketUpdate checks an update of a Bucket.
func ValidateBucketUpdate(newObj, _ *v1alpha1.Bucket) field.ErrorList {
	return validateBucketSpec(newObj.Spec, specPath)
}

// ValidateKustomization checks a Kustomization.
func ValidateKustomization(obj *v1alpha1.Kustomization) field.ErrorList {
	return append(validateObjectMeta(&obj.ObjectMeta), validateKustomizationSpec(obj.Spec, specPath)...)
}

// ValidateKustomizationUpdate checks an update of a Kustomization.
func ValidateKustomizationUpdate(newObj, _ *v1alpha1.Kustomization) field.ErrorList {
	return validateKustomizationSpec(newObj.Spec, specPath)
}

// ValidateHelmRelease checks a HelmRelease.
func ValidateHelmRelease(obj *v1alpha1.HelmRelease) field.ErrorList {
	return append(validateObjectMeta(&obj.ObjectMeta), validateHelmReleaseSpec(obj.Spec, specPath)...)
}

// ValidateHelmReleaseUpdate checks an update of a HelmRelease.
func ValidateHelmReleaseUpdate(newObj, _ *v1alpha1.HelmRelease) field.ErrorList {
	return validateHelmReleaseSpec(newObj.Spec, specPath)
}

// ValidateProvider checks a Provider.
func ValidateProvider(obj *v1alpha1.Provider) field.ErrorList {
	return append(validateObjectMeta(&obj.ObjectMeta), validateProviderSpec(obj.Spec, specPath)...)
}

// ValidateProviderUpdate checks an update of a Provider.
func ValidateProviderUpdate(newObj, _ *v1alpha1.Provider) field.ErrorList {
	return validateProviderSpec(newObj.Spec, specPath)
}

// ValidateAlert checks an Alert.
func ValidateAlert(obj *v1alpha1.Alert) field.ErrorList {
	return append(validateObjectMeta(&obj.ObjectMeta), validateAlertSpec(obj.Spec, specPath)...)
}

// ValidateAlertUpdate checks an update of an Alert.
func ValidateAlertUpdate(newObj, _ *v1alpha1.Alert) field.ErrorList {
	return validateAlertSpec(newObj.Spec, specPath)
}

// ValidateReceiver checks a Receiver.
func ValidateReceiver(obj *v1alpha1.Receiver) field.ErrorList {
	return append(validateObjectMeta(&obj.ObjectMeta), validateReceiverSpec(obj.Spec, specPath)...)
}

// ValidateReceiverUpdate checks an update of a Receiver.
func ValidateReceiverUpdate(newObj, _ *v1alpha1.Receiver) field.ErrorList {
	return validateReceiverSpec(newObj.Spec, specPath)
}

// ValidateImageRepository checks an ImageRepository.
func ValidateImageRepository(obj *v1alpha1.ImageRepository) field.ErrorList {
	return append(validateObjectMeta(&obj.ObjectMeta), validateImageRepositorySpec(obj.Spec, specPath)...)
}

// ValidateImageRepositoryUpdate checks an update of an ImageRepository.
func ValidateImageRepositoryUpdate(newObj, _ *v1alpha1.ImageRepository) field.ErrorList {
	return validateImageRepositorySpec(newObj.Spec, specPath)
}

// ValidateImagePolicy checks an ImagePolicy.
func ValidateImagePolicy(obj *v1alpha1.ImagePolicy) field.ErrorList {
	return append(validateObjectMeta(&obj.ObjectMeta), validateImagePolicySpec(obj.Spec, specPath)...)
}

// ValidateImagePolicyUpdate checks an update of an ImagePolicy.
func ValidateImagePolicyUpdate(newObj, _ *v1alpha1.ImagePolicy) field.ErrorList {
	return validateImagePolicySpec(newObj.Spec, specPath)
}

// ValidateImageUpdateAutomation checks an ImageUpdateAutomation.
func ValidateImageUpdateAutomation(obj *v1alpha1.ImageUpdateAutomation) field.ErrorList {
	return append(validateObjectMeta(&obj.ObjectMeta), validateImageUpdateAutomationSpec(obj.Spec, specPath)...)
}

// ValidateImageUpdateAutomationUpdate checks an update of an ImageUpdateAutomation.
func ValidateImageUpdateAutomationUpdate(newObj, _ *v1alpha1.ImageUpdateAutomation) field.ErrorList {
	return validateImageUpdateAutomationSpec(newObj.Spec, specPath)
}

package v1alpha1

import (
	"time"
)

// Defaults are the ones Flux's CRDs declare, so an object reads the same
// here as in a Flux cluster. Defaults Flux leaves to its controllers (the
// 'master' branch of a GitRepository without ref, a HelmRelease timeout of
// 5m, ...) stay with the reconcilers and are not written into objects.
//
// defaulter-gen wires every SetDefaults_<Type> below into RegisterDefaults,
// calling those of nested types wherever such a value is present.

// DefaultSourceTimeout is the timeout of source operations (clone, pull, fetch).
const DefaultSourceTimeout = 60 * time.Second

// DefaultReceiverInterval is how often a Receiver re-reads its Secret.
const DefaultReceiverInterval = 10 * time.Minute

// DefaultHelmChartVersion selects the latest chart version.
const DefaultHelmChartVersion = "*"

func defaultTimeout(timeout **Duration, value time.Duration) {
	if *timeout == nil {
		*timeout = &Duration{Duration: value}
	}
}

func defaultString[T ~string](field *T, value T) {
	if *field == "" {
		*field = value
	}
}

func SetDefaults_GitRepository(obj *GitRepository) {
	defaultTimeout(&obj.Spec.Timeout, DefaultSourceTimeout)
}

func SetDefaults_GitRepositoryVerification(obj *GitRepositoryVerification) {
	defaultString(&obj.Mode, GitVerifyHEAD)
}

func SetDefaults_OCIRepository(obj *OCIRepository) {
	defaultString(&obj.Spec.Provider, CloudProviderGeneric)
	defaultTimeout(&obj.Spec.Timeout, DefaultSourceTimeout)
}

func SetDefaults_OCIRepositoryVerification(obj *OCIRepositoryVerification) {
	defaultString(&obj.Provider, VerificationProviderCosign)
}

func SetDefaults_HelmRepository(obj *HelmRepository) {
	defaultString(&obj.Spec.Type, HelmRepositoryTypeDefault)
	defaultString(&obj.Spec.Provider, CloudProviderGeneric)
	defaultTimeout(&obj.Spec.Timeout, DefaultSourceTimeout)
}

func SetDefaults_HelmChart(obj *HelmChart) {
	defaultString(&obj.Spec.Version, DefaultHelmChartVersion)
	defaultString(&obj.Spec.ReconcileStrategy, ReconcileStrategyChartVersion)
}

func SetDefaults_HelmChartVerification(obj *HelmChartVerification) {
	defaultString(&obj.Provider, VerificationProviderCosign)
}

func SetDefaults_Bucket(obj *Bucket) {
	defaultString(&obj.Spec.Provider, CloudProviderGeneric)
	defaultTimeout(&obj.Spec.Timeout, DefaultSourceTimeout)
}

func SetDefaults_HelmChartTemplateSpec(obj *HelmChartTemplateSpec) {
	defaultString(&obj.Version, DefaultHelmChartVersion)
	defaultString(&obj.ReconcileStrategy, ReconcileStrategyChartVersion)
}

func SetDefaults_Uninstall(obj *Uninstall) {
	if obj.DeletionPropagation == nil {
		propagation := DeletionPropagationBackground
		obj.DeletionPropagation = &propagation
	}
}

func SetDefaults_Alert(obj *Alert) {
	defaultString(&obj.Spec.EventSeverity, EventSeverityInfo)
}

func SetDefaults_Receiver(obj *Receiver) {
	defaultTimeout(&obj.Spec.Interval, DefaultReceiverInterval)
}

func SetDefaults_ImageRepository(obj *ImageRepository) {
	// Only an absent list is defaulted; an explicit empty list keeps every tag.
	if obj.Spec.ExclusionList == nil {
		obj.Spec.ExclusionList = []string{DefaultImageExclusion}
	}
	defaultString(&obj.Spec.Provider, CloudProviderGeneric)
}

func SetDefaults_ImagePolicy(obj *ImagePolicy) {
	defaultString(&obj.Spec.DigestReflectionPolicy, ReflectNever)
}

func SetDefaults_AlphabeticalPolicy(obj *AlphabeticalPolicy) {
	defaultString(&obj.Order, SortOrderAscending)
}

func SetDefaults_NumericalPolicy(obj *NumericalPolicy) {
	defaultString(&obj.Order, SortOrderAscending)
}

func SetDefaults_ImageUpdateAutomation(obj *ImageUpdateAutomation) {
	defaultString(&obj.Spec.SourceRef.Kind, GitRepositoryKind)
	if obj.Spec.Update == nil {
		obj.Spec.Update = &UpdateStrategy{}
	}
	defaultString(&obj.Spec.Update.Strategy, UpdateStrategySetters)
}

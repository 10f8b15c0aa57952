package v1alpha1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// ReconcileStatus points at the parts of a status that the reconciler
// runtime keeps the same way for every kind. It is not part of the API.
//
// +k8s:deepcopy-gen=false
// +k8s:openapi-gen=false
type ReconcileStatus struct {
	Conditions             *[]metav1.Condition
	ObservedGeneration     *int64
	LastHandledReconcileAt *string
	Owner                  **Owner
}

// ReconcileStatus points into the status of the GitRepository.
func (in *GitRepository) ReconcileStatus() ReconcileStatus {
	return ReconcileStatus{&in.Status.Conditions, &in.Status.ObservedGeneration, &in.Status.LastHandledReconcileAt, &in.Status.Owner}
}

// ReconcileStatus points into the status of the OCIRepository.
func (in *OCIRepository) ReconcileStatus() ReconcileStatus {
	return ReconcileStatus{&in.Status.Conditions, &in.Status.ObservedGeneration, &in.Status.LastHandledReconcileAt, &in.Status.Owner}
}

// ReconcileStatus points into the status of the HelmRepository.
func (in *HelmRepository) ReconcileStatus() ReconcileStatus {
	return ReconcileStatus{&in.Status.Conditions, &in.Status.ObservedGeneration, &in.Status.LastHandledReconcileAt, &in.Status.Owner}
}

// ReconcileStatus points into the status of the HelmChart.
func (in *HelmChart) ReconcileStatus() ReconcileStatus {
	return ReconcileStatus{&in.Status.Conditions, &in.Status.ObservedGeneration, &in.Status.LastHandledReconcileAt, &in.Status.Owner}
}

// ReconcileStatus points into the status of the Bucket.
func (in *Bucket) ReconcileStatus() ReconcileStatus {
	return ReconcileStatus{&in.Status.Conditions, &in.Status.ObservedGeneration, &in.Status.LastHandledReconcileAt, &in.Status.Owner}
}

// ReconcileStatus points into the status of the Kustomization.
func (in *Kustomization) ReconcileStatus() ReconcileStatus {
	return ReconcileStatus{&in.Status.Conditions, &in.Status.ObservedGeneration, &in.Status.LastHandledReconcileAt, &in.Status.Owner}
}

// ReconcileStatus points into the status of the HelmRelease.
func (in *HelmRelease) ReconcileStatus() ReconcileStatus {
	return ReconcileStatus{&in.Status.Conditions, &in.Status.ObservedGeneration, &in.Status.LastHandledReconcileAt, &in.Status.Owner}
}

// ReconcileStatus points into the status of the Provider.
func (in *Provider) ReconcileStatus() ReconcileStatus {
	return ReconcileStatus{&in.Status.Conditions, &in.Status.ObservedGeneration, &in.Status.LastHandledReconcileAt, &in.Status.Owner}
}

// ReconcileStatus points into the status of the Alert.
func (in *Alert) ReconcileStatus() ReconcileStatus {
	return ReconcileStatus{&in.Status.Conditions, &in.Status.ObservedGeneration, &in.Status.LastHandledReconcileAt, &in.Status.Owner}
}

// ReconcileStatus points into the status of the Receiver.
func (in *Receiver) ReconcileStatus() ReconcileStatus {
	return ReconcileStatus{&in.Status.Conditions, &in.Status.ObservedGeneration, &in.Status.LastHandledReconcileAt, &in.Status.Owner}
}

// ReconcileStatus points into the status of the ImageRepository.
func (in *ImageRepository) ReconcileStatus() ReconcileStatus {
	return ReconcileStatus{&in.Status.Conditions, &in.Status.ObservedGeneration, &in.Status.LastHandledReconcileAt, &in.Status.Owner}
}

// ReconcileStatus points into the status of the ImagePolicy.
func (in *ImagePolicy) ReconcileStatus() ReconcileStatus {
	return ReconcileStatus{&in.Status.Conditions, &in.Status.ObservedGeneration, &in.Status.LastHandledReconcileAt, &in.Status.Owner}
}

// ReconcileStatus points into the status of the ImageUpdateAutomation.
func (in *ImageUpdateAutomation) ReconcileStatus() ReconcileStatus {
	return ReconcileStatus{&in.Status.Conditions, &in.Status.ObservedGeneration, &in.Status.LastHandledReconcileAt, &in.Status.Owner}
}

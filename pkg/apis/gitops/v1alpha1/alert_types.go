package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// AlertKind is the kind name of Alert.
const AlertKind = "Alert"

// EventSeverity filters events by severity.
// +enum
type EventSeverity string

const (
	// EventSeverityInfo lets every event through; the default.
	EventSeverityInfo EventSeverity = "info"
	// EventSeverityError lets only error events through.
	EventSeverityError EventSeverity = "error"
)

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// Alert forwards events about some objects to a Provider.
type Alert struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   AlertSpec   `json:"spec,omitempty"`
	Status AlertStatus `json:"status,omitempty"`
}

// AlertSpec is the desired state of an Alert.
type AlertSpec struct {
	// ProviderRef names the Provider to send to.
	ProviderRef LocalObjectReference `json:"providerRef"`
	// EventSeverity is info (everything, the default) or error.
	// +optional
	EventSeverity EventSeverity `json:"eventSeverity,omitempty"`
	// EventSources selects the objects whose events are forwarded.
	// +listType=atomic
	EventSources []CrossNamespaceObjectReference `json:"eventSources"`
	// InclusionList holds regular expressions; when set, only messages
	// matching one of them are forwarded.
	// +listType=atomic
	// +optional
	InclusionList []string `json:"inclusionList,omitempty"`
	// EventMetadata is added to forwarded events, without overriding what
	// the event already carries.
	// +optional
	EventMetadata map[string]string `json:"eventMetadata,omitempty"`
	// ExclusionList holds regular expressions; matching messages are dropped.
	// +listType=atomic
	// +optional
	ExclusionList []string `json:"exclusionList,omitempty"`
	// Summary is deprecated: use EventMetadata.
	// +optional
	Summary string `json:"summary,omitempty"`
	// Suspend stops forwarding until it is set to false again.
	// +optional
	Suspend bool `json:"suspend,omitempty"`
}

// CrossNamespaceObjectReference selects objects of one kind by name, or by
// labels with the name '*'.
type CrossNamespaceObjectReference struct {
	// APIVersion of the objects.
	// +optional
	APIVersion string `json:"apiVersion,omitempty"`
	// Kind of the objects, one of this group's kinds.
	Kind string `json:"kind"`
	// Name of the object, or '*' for all objects (narrowed by MatchLabels).
	Name string `json:"name"`
	// Namespace of the objects; the referrer's namespace by default.
	// +optional
	Namespace string `json:"namespace,omitempty"`
	// MatchLabels narrows a '*' name to objects with these labels.
	// +optional
	MatchLabels map[string]string `json:"matchLabels,omitempty"`
}

// AlertStatus is the observed state of an Alert. Flux keeps no status for
// Alerts; here it tells whether the Provider resolves.
type AlertStatus struct {
	// ObservedGeneration is the generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Conditions are Ready, Reconciling and Stalled.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
	// Deliveries is the outcome of the latest notifications sent through
	// each Provider the Alert has sent to. Flux keeps no such record.
	// +listType=map
	// +listMapKey=provider
	// +optional
	Deliveries []AlertDelivery `json:"deliveries,omitempty"`

	ReconcileRequestStatus `json:",inline"`
	OwnerStatus            `json:",inline"`
}

// AlertDelivery is what happened to the notifications an Alert sent
// through one Provider.
type AlertDelivery struct {
	// Provider is the name of the Provider, in the Alert's namespace.
	Provider string `json:"provider"`
	// LastDeliveryTime is when a notification last reached the Provider's
	// service.
	// +optional
	LastDeliveryTime *metav1.Time `json:"lastDeliveryTime,omitempty"`
	// LastErrorTime is when a notification last failed to.
	// +optional
	LastErrorTime *metav1.Time `json:"lastErrorTime,omitempty"`
	// LastError says why, with credentials masked.
	// +optional
	LastError string `json:"lastError,omitempty"`
	// Dropped counts the notifications dropped because the Provider's
	// queue was full, since the server started.
	// +optional
	Dropped int64 `json:"dropped,omitempty"`
}

// GetConditions returns the status conditions.
func (in *Alert) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the status conditions.
func (in *Alert) SetConditions(conditions []metav1.Condition) {
	in.Status.Conditions = conditions
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// AlertList is a list of Alerts.
type AlertList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []Alert `json:"items"`
}

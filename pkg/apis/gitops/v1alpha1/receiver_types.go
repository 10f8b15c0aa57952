package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ReceiverKind is the kind name of Receiver.
const ReceiverKind = "Receiver"

// ReceiverWebhookPathPrefix starts every generated webhook path.
const ReceiverWebhookPathPrefix = "/hook/"

// ReceiverType names the sender of the webhooks a Receiver accepts; it
// decides how requests are authenticated and parsed.
// +enum
type ReceiverType string

const (
	ReceiverGeneric     ReceiverType = "generic"
	ReceiverGenericHMAC ReceiverType = "generic-hmac"
	ReceiverGenericOIDC ReceiverType = "generic-oidc"
	ReceiverGitHub      ReceiverType = "github"
	ReceiverGitLab      ReceiverType = "gitlab"
	ReceiverBitbucket   ReceiverType = "bitbucket"
	ReceiverHarbor      ReceiverType = "harbor"
	ReceiverDockerHub   ReceiverType = "dockerhub"
	ReceiverQuay        ReceiverType = "quay"
	ReceiverGCR         ReceiverType = "gcr"
	ReceiverNexus       ReceiverType = "nexus"
	ReceiverACR         ReceiverType = "acr"
	ReceiverCDEvents    ReceiverType = "cdevents"
)

// DefaultOIDCAudience is the audience expected from tokens sent to a
// generic-oidc Receiver when the provider sets none.
const DefaultOIDCAudience = "notification-controller"

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// Receiver accepts webhooks (a push to Git, a new image) and asks the
// listed objects to reconcile at once.
type Receiver struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   ReceiverSpec   `json:"spec,omitempty"`
	Status ReceiverStatus `json:"status,omitempty"`
}

// ReceiverSpec is the desired state of a Receiver.
type ReceiverSpec struct {
	// Type of the webhook sender.
	Type ReceiverType `json:"type"`
	// Interval between checks of the referenced Secret; 10m by default.
	// +optional
	Interval *Duration `json:"interval,omitempty"`
	// Events are the event types to act on (for example 'push'); all when empty.
	// +listType=atomic
	// +optional
	Events []string `json:"events,omitempty"`
	// Resources are the objects to reconcile when a webhook arrives.
	// +listType=atomic
	Resources []ReceiverResource `json:"resources"`
	// ResourceFilter is a CEL expression deciding per resource whether to
	// reconcile it; it sees 'res', 'req' and, for generic-oidc, 'claims'.
	// +optional
	ResourceFilter string `json:"resourceFilter,omitempty"`
	// SecretRef names a Secret whose 'token' authenticates webhooks. Required
	// for every type but generic-oidc, which must not set it.
	// +optional
	SecretRef *LocalObjectReference `json:"secretRef,omitempty"`
	// OIDCProviders authenticate generic-oidc requests; required for that type only.
	// +listType=map
	// +listMapKey=issuerURL
	// +optional
	OIDCProviders []OIDCProvider `json:"oidcProviders,omitempty"`
	// Suspend stops handling webhooks until it is set to false again.
	// +optional
	Suspend bool `json:"suspend,omitempty"`
}

// ReceiverResource is an object (or a set, with name '*') to reconcile,
// with an optional CEL filter of its own.
type ReceiverResource struct {
	CrossNamespaceObjectReference `json:",inline"`

	// Filter is a CEL expression that must also be true to reconcile a
	// matching object.
	// +optional
	Filter string `json:"filter,omitempty"`
}

// OIDCProvider trusts tokens from one OIDC issuer, subject to CEL checks.
type OIDCProvider struct {
	// IssuerURL must equal the token's 'iss' claim; http:// or https://.
	IssuerURL string `json:"issuerURL"`
	// Audience expected in the token; 'notification-controller' by default.
	// +optional
	Audience string `json:"audience,omitempty"`
	// Variables are named CEL expressions over the claims, evaluated in order.
	// +listType=atomic
	// +optional
	Variables []OIDCVariable `json:"variables,omitempty"`
	// Validations must all be true to accept a request. At least one is
	// required: a valid signature from a public issuer proves little.
	// +listType=atomic
	Validations []OIDCValidation `json:"validations"`
}

// OIDCVariable is a named CEL expression available as vars.<name>.
type OIDCVariable struct {
	// Name of the variable, a CEL identifier.
	Name string `json:"name"`
	// Expression giving its value.
	Expression string `json:"expression"`
}

// OIDCValidation is a CEL condition a token must meet.
type OIDCValidation struct {
	// Expression that must be true.
	Expression string `json:"expression"`
	// Message returned when it is false.
	Message string `json:"message"`
}

// ReceiverStatus is the observed state of a Receiver.
type ReceiverStatus struct {
	ReconcileRequestStatus `json:",inline"`
	OwnerStatus            `json:",inline"`

	// Conditions are Ready, Reconciling and Stalled.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
	// WebhookPath is where senders post, '/hook/<sha256(token+name+namespace)>'.
	// +optional
	WebhookPath string `json:"webhookPath,omitempty"`
	// ObservedGeneration is the generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
}

// GetConditions returns the status conditions.
func (in *Receiver) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the status conditions.
func (in *Receiver) SetConditions(conditions []metav1.Condition) {
	in.Status.Conditions = conditions
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// ReceiverList is a list of Receivers.
type ReceiverList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []Receiver `json:"items"`
}

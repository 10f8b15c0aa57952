package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ImageUpdateAutomationKind is the kind name of ImageUpdateAutomation.
const ImageUpdateAutomationKind = "ImageUpdateAutomation"

// UpdateStrategyName names how files in the repository are updated.
// +enum
type UpdateStrategyName string

// UpdateStrategySetters rewrites fields marked with setter comments such as
// `# {"$imagepolicy": "ns:name"}`; the only strategy.
const UpdateStrategySetters UpdateStrategyName = "Setters"

// SigningKeyType is the format of a commit signing key.
// +enum
type SigningKeyType string

const (
	// SigningKeyTypeGPG reads an OpenPGP key from git.asc; the default.
	SigningKeyTypeGPG SigningKeyType = "gpg"
	// SigningKeyTypeSSH reads an SSH private key from identity.
	SigningKeyTypeSSH SigningKeyType = "ssh"
)

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// ImageUpdateAutomation writes the images ImagePolicies picked into a Git
// repository and pushes a commit.
type ImageUpdateAutomation struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   ImageUpdateAutomationSpec   `json:"spec,omitempty"`
	Status ImageUpdateAutomationStatus `json:"status,omitempty"`
}

// ImageUpdateAutomationSpec is the desired state of an ImageUpdateAutomation.
type ImageUpdateAutomationSpec struct {
	// SourceRef names the GitRepository to update.
	SourceRef CrossNamespaceSourceReference `json:"sourceRef"`
	// GitSpec says how to check out, commit and push.
	// +optional
	GitSpec *GitSpec `json:"git,omitempty"`
	// Interval between automation runs.
	Interval Duration `json:"interval"`
	// PolicySelector picks the ImagePolicies to apply; all in the namespace by default.
	// +optional
	PolicySelector *metav1.LabelSelector `json:"policySelector,omitempty"`
	// Update says what to change; the Setters strategy on the whole checkout by default.
	// +optional
	Update *UpdateStrategy `json:"update,omitempty"`
	// Suspend stops the automation until it is set to false again.
	// +optional
	Suspend bool `json:"suspend,omitempty"`
}

// UpdateStrategy says how and where to update files.
type UpdateStrategy struct {
	// Strategy is Setters.
	// +optional
	Strategy UpdateStrategyName `json:"strategy,omitempty"`
	// Path of the directory to update, relative to the checkout; the root by default.
	// +optional
	Path string `json:"path,omitempty"`
}

// GitSpec says how to check out, commit and push.
type GitSpec struct {
	// Checkout overrides the reference of the GitRepository to clone.
	// +optional
	Checkout *GitCheckoutSpec `json:"checkout,omitempty"`
	// Commit says how commits are made.
	Commit CommitSpec `json:"commit"`
	// Push says where commits go; back to the checked-out branch by default.
	// +optional
	Push *PushSpec `json:"push,omitempty"`
}

// GitCheckoutSpec names the reference to clone.
type GitCheckoutSpec struct {
	// Reference to check out.
	Reference GitRepositoryRef `json:"ref"`
}

// CommitSpec says how commits are made.
type CommitSpec struct {
	// Author of the commits.
	Author CommitUser `json:"author"`
	// SigningKey signs the commits.
	// +optional
	SigningKey *SigningKey `json:"signingKey,omitempty"`
	// MessageTemplate is a Go template of the commit message.
	// +optional
	MessageTemplate string `json:"messageTemplate,omitempty"`
	// MessageTemplateValues are extra values for the template.
	// +optional
	MessageTemplateValues map[string]string `json:"messageTemplateValues,omitempty"`
}

// CommitUser is a commit author.
type CommitUser struct {
	// Name of the author.
	// +optional
	Name string `json:"name,omitempty"`
	// Email of the author.
	Email string `json:"email"`
}

// SigningKey names a Secret with a commit signing key.
type SigningKey struct {
	// SecretRef names the Secret, in the automation's namespace.
	SecretRef LocalObjectReference `json:"secretRef"`
	// Type is gpg (the default) or ssh.
	// +optional
	Type SigningKeyType `json:"type,omitempty"`
}

// PushSpec says where commits are pushed.
type PushSpec struct {
	// Branch to push to, created from the checked-out branch when missing.
	// +optional
	Branch string `json:"branch,omitempty"`
	// Refspec to push with, in addition to Branch.
	// +optional
	Refspec string `json:"refspec,omitempty"`
	// Options are git push options sent to the server.
	// +optional
	Options map[string]string `json:"options,omitempty"`
}

// ImageUpdateAutomationStatus is the observed state of an ImageUpdateAutomation.
type ImageUpdateAutomationStatus struct {
	// LastAutomationRunTime is when the automation last ran to completion.
	// +optional
	LastAutomationRunTime *metav1.Time `json:"lastAutomationRunTime,omitempty"`
	// LastPushCommit is the SHA of the last commit pushed.
	// +optional
	LastPushCommit string `json:"lastPushCommit,omitempty"`
	// LastPushTime is when the last commit was pushed.
	// +optional
	LastPushTime *metav1.Time `json:"lastPushTime,omitempty"`
	// ObservedGeneration is the generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Conditions are Ready, Reconciling and Stalled.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
	// ObservedPolicies maps the name of each ImagePolicy applied to the image it picked.
	// +optional
	ObservedPolicies map[string]ImageRef `json:"observedPolicies,omitempty"`
	// ObservedSourceRevision is the source revision of the last run.
	// +optional
	ObservedSourceRevision string `json:"observedSourceRevision,omitempty"`

	ReconcileRequestStatus `json:",inline"`
	OwnerStatus            `json:",inline"`
}

// GetConditions returns the status conditions.
func (in *ImageUpdateAutomation) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the status conditions.
func (in *ImageUpdateAutomation) SetConditions(conditions []metav1.Condition) {
	in.Status.Conditions = conditions
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// ImageUpdateAutomationList is a list of ImageUpdateAutomations.
type ImageUpdateAutomationList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []ImageUpdateAutomation `json:"items"`
}

package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ProviderKind is the kind name of Provider.
const ProviderKind = "Provider"

// ProviderType names the service a Provider sends events to.
// +enum
type ProviderType string

const (
	ProviderGeneric                   ProviderType = "generic"
	ProviderGenericHMAC               ProviderType = "generic-hmac"
	ProviderSlack                     ProviderType = "slack"
	ProviderGrafana                   ProviderType = "grafana"
	ProviderDiscord                   ProviderType = "discord"
	ProviderMSTeams                   ProviderType = "msteams"
	ProviderRocket                    ProviderType = "rocket"
	ProviderGitHubDispatch            ProviderType = "githubdispatch"
	ProviderGitHub                    ProviderType = "github"
	ProviderGitHubPullRequestComment  ProviderType = "githubpullrequestcomment"
	ProviderGitLab                    ProviderType = "gitlab"
	ProviderGitLabMergeRequestComment ProviderType = "gitlabmergerequestcomment"
	ProviderGitea                     ProviderType = "gitea"
	ProviderGiteaPullRequestComment   ProviderType = "giteapullrequestcomment"
	ProviderBitbucketServer           ProviderType = "bitbucketserver"
	ProviderBitbucket                 ProviderType = "bitbucket"
	ProviderAzureDevOps               ProviderType = "azuredevops"
	ProviderGoogleChat                ProviderType = "googlechat"
	ProviderGooglePubSub              ProviderType = "googlepubsub"
	ProviderWebex                     ProviderType = "webex"
	ProviderSentry                    ProviderType = "sentry"
	ProviderAzureEventHub             ProviderType = "azureeventhub"
	ProviderTelegram                  ProviderType = "telegram"
	ProviderLark                      ProviderType = "lark"
	ProviderMatrix                    ProviderType = "matrix"
	ProviderOpsgenie                  ProviderType = "opsgenie"
	ProviderAlertManager              ProviderType = "alertmanager"
	ProviderPagerDuty                 ProviderType = "pagerduty"
	ProviderDataDog                   ProviderType = "datadog"
	ProviderNATS                      ProviderType = "nats"
	ProviderZulip                     ProviderType = "zulip"
	ProviderOTEL                      ProviderType = "otel"
	ProviderZoom                      ProviderType = "zoom"
	ProviderIncidentIO                ProviderType = "incident.io"
)

// PostsCommitStatus reports whether a Provider of type t sets the status
// of Git commits (and so may use commitStatusExpr).
func (t ProviderType) PostsCommitStatus() bool {
	switch t {
	case ProviderGitHub, ProviderGitLab, ProviderGitea, ProviderBitbucketServer, ProviderBitbucket, ProviderAzureDevOps:
		return true
	}
	return false
}

// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// Provider says where and how to send notifications: a chat service, a
// webhook, or a Git host's commit status API.
type Provider struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   ProviderSpec   `json:"spec,omitempty"`
	Status ProviderStatus `json:"status,omitempty"`
}

// ProviderSpec is the desired state of a Provider.
type ProviderSpec struct {
	// Type of the service.
	Type ProviderType `json:"type"`
	// Interval is deprecated and ignored.
	// +optional
	Interval *Duration `json:"interval,omitempty"`
	// Channel to post to, where the service has channels.
	// +optional
	Channel string `json:"channel,omitempty"`
	// Username to post as, where the service allows it.
	// +optional
	Username string `json:"username,omitempty"`
	// Address of the service; its meaning depends on Type (an HTTP(S) URL
	// for generic, a repository URL for Git hosts, a topic for NATS...).
	// +optional
	Address string `json:"address,omitempty"`
	// Timeout for sending; 15s by default.
	// +optional
	Timeout *Duration `json:"timeout,omitempty"`
	// Proxy is deprecated: use ProxySecretRef.
	// +optional
	Proxy string `json:"proxy,omitempty"`
	// ProxySecretRef names a Secret with the proxy (address, username, password).
	// +optional
	ProxySecretRef *LocalObjectReference `json:"proxySecretRef,omitempty"`
	// SecretRef names a Secret with credentials (address, token, ...).
	// +optional
	SecretRef *LocalObjectReference `json:"secretRef,omitempty"`
	// ServiceAccountName is used for workload identity towards cloud services
	// (azureeventhub, azuredevops, googlepubsub).
	// +optional
	ServiceAccountName string `json:"serviceAccountName,omitempty"`
	// CertSecretRef names a Secret with ca.crt and/or tls.crt and tls.key.
	// +optional
	CertSecretRef *LocalObjectReference `json:"certSecretRef,omitempty"`
	// Suspend stops sending until it is set to false again.
	// +optional
	Suspend bool `json:"suspend,omitempty"`
	// CommitStatusExpr is a CEL expression giving the commit status text, for
	// the Git host types (github, gitlab, gitea, bitbucketserver, bitbucket, azuredevops).
	// +optional
	CommitStatusExpr string `json:"commitStatusExpr,omitempty"`
}

// ProviderStatus is the observed state of a Provider. Flux keeps no status
// for Providers; here it tells whether the referenced Secrets resolve.
type ProviderStatus struct {
	// ObservedGeneration is the generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Conditions are Ready, Reconciling and Stalled.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	ReconcileRequestStatus `json:",inline"`
	OwnerStatus            `json:",inline"`
}

// GetConditions returns the status conditions.
func (in *Provider) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the status conditions.
func (in *Provider) SetConditions(conditions []metav1.Condition) {
	in.Status.Conditions = conditions
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// ProviderList is a list of Providers.
type ProviderList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []Provider `json:"items"`
}

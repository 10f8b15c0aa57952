package v1alpha1

// OwnerStatus is embedded in every status: who the object's reconciler acts
// as. The server keeps it; writes to the status cannot change it.
type OwnerStatus struct {
	// Owner is the identity that created the object, or that last set or
	// removed its spec.serviceAccountName. Without a ServiceAccount, the
	// reconciler acts on the cluster as this identity, by impersonation.
	// +optional
	Owner *Owner `json:"owner,omitempty"`
}

// Owner is an authenticated Kubernetes identity, as the API server saw it
// on the write that made it the owner.
type Owner struct {
	// Username is the user's name, e.g. "alice" or
	// "system:serviceaccount:team-a:deployer".
	Username string `json:"username"`
	// UID is the user's uid, when the authenticator gave one.
	// +optional
	UID string `json:"uid,omitempty"`
	// Groups are the user's groups.
	// +optional
	// +listType=atomic
	Groups []string `json:"groups,omitempty"`
	// Extra is the authenticator's extra information about the user.
	// +optional
	Extra map[string][]string `json:"extra,omitempty"`
}

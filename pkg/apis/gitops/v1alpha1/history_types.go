package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ObjectHistoryKind is the kind name of ObjectHistory.
const ObjectHistoryKind = "ObjectHistory"

// HistoryChange says what a commit did to an object's manifest file.
// +enum
type HistoryChange string

const (
	// HistoryChangeCreated: the commit added the file.
	HistoryChangeCreated HistoryChange = "Created"
	// HistoryChangeUpdated: the commit changed the file.
	HistoryChangeUpdated HistoryChange = "Updated"
	// HistoryChangeDeleted: the commit removed the file.
	HistoryChangeDeleted HistoryChange = "Deleted"
)

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// ObjectHistory is what the history subresource of every kind returns
// (GET .../<resource>/<name>/history): the commits of the storage branch
// that changed the object's manifest file, newest first. It pages like a
// list: ?limit=N, and metadata.continue passed back as ?continue=.
type ObjectHistory struct {
	metav1.TypeMeta `json:",inline"`
	// Continue, when set, fetches the next page.
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`

	// Items are the commits, newest first.
	Items []HistoryEntry `json:"items"`
}

// HistoryEntry is one commit that changed an object's manifest file.
type HistoryEntry struct {
	// Commit is the commit's hash on the storage branch.
	Commit string `json:"commit"`
	// Author of the commit: the Kubernetes user of an API write, the
	// person's Git identity for a git push.
	Author CommitAuthor `json:"author"`
	// Time the commit was authored.
	Time metav1.Time `json:"time"`
	// Summary is the first line of the commit message.
	Summary string `json:"summary"`
	// Message is the whole commit message.
	Message string `json:"message"`
	// Change is what the commit did to the file.
	Change HistoryChange `json:"change"`
	// ResourceVersion the change gave the object. Empty when the server
	// gave it none: a pushed file it skipped as invalid, a commit of a push
	// other than the newest one that changed the file, or a change older
	// than the history of resource versions kept.
	// +optional
	ResourceVersion string `json:"resourceVersion,omitempty"`
}

// CommitAuthor is who a commit is attributed to.
type CommitAuthor struct {
	// Name of the author.
	Name string `json:"name"`
	// Email of the author.
	Email string `json:"email"`
}

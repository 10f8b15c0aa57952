// Package events records the reconcilers' Kubernetes Events with structured
// metadata besides the message, as Flux's event recorder does, so that
// alerts and commit statuses can read the revision rather than parse it out
// of the text.
package events

import (
	"strings"

	"k8s.io/client-go/tools/record"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/controller"
)

// customPrefix marks an object's annotations that its Events carry, as in
// Flux (RFC-0008).
const customPrefix = "event.toolkit.fluxcd.io/"

// originRevisionKey is the OCI annotation an artifact's metadata keeps the
// revision of its origin (a Git commit) under.
const originRevisionKey = "org.opencontainers.image.revision"

// Revision is what an Event is about: the revision a reconciliation
// attempted or stored, and the artifact it came from, if any.
type Revision struct {
	Revision string
	Artifact *v1alpha1.Artifact
}

// Metadata is what an Event about obj carries besides its message, keys
// prefixed by the API group as Flux prefixes its own: revision,
// originRevision (from the artifact's metadata) and obj's
// event.toolkit.fluxcd.io/* annotations, which cannot override the two.
func Metadata(obj controller.Object, rev Revision) map[string]string {
	metadata := map[string]string{}
	for key, value := range obj.GetAnnotations() {
		if name, ok := strings.CutPrefix(key, customPrefix); ok && name != "" {
			metadata[v1alpha1.GroupName+"/"+name] = value
		}
	}
	if rev.Revision != "" {
		metadata[v1alpha1.GroupName+"/revision"] = rev.Revision
	}
	if a := rev.Artifact; a != nil && a.Metadata[originRevisionKey] != "" {
		metadata[v1alpha1.GroupName+"/originRevision"] = a.Metadata[originRevisionKey]
	}
	return metadata
}

// Record records an Event about obj with its metadata; a nil recorder
// records nothing.
func Record(recorder record.EventRecorder, obj controller.Object, rev Revision, eventtype, reason, message string) {
	if recorder == nil {
		return
	}
	recorder.AnnotatedEventf(obj, Metadata(obj, rev), eventtype, reason, "%s", message)
}

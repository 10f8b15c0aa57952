package source

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/record"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// NewArtifactReason is Flux's Event reason for a new revision stored.
const NewArtifactReason = "NewArtifact"

// Announce records an Event for a new artifact (after differs from
// before) or for a failure err (reported with reason unless it is an
// outcome.Failure), as Flux's source-controller does. Repeated failures are
// aggregated by the recorder, which may be nil to record nothing.
func Announce(events record.EventRecorder, obj runtime.Object, before, after *v1alpha1.Artifact, err error, reason string) {
	switch {
	case events == nil:
	case err != nil:
		failure := outcome.Of(err, reason)
		events.Event(obj, corev1.EventTypeWarning, failure.Reason, failure.Error())
	case after != nil && (before == nil || before.Revision != after.Revision || before.Digest != after.Digest):
		events.Eventf(obj, corev1.EventTypeNormal, NewArtifactReason, "stored artifact for revision '%s'", after.Revision)
	}
}

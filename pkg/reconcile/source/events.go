package source

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/tools/record"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/events"
	"gitops.io/apiserver/pkg/reconcile/outcome"
)

// Announce records an Event for a new artifact (after differs from
// before) or for a failure err (reported with reason unless it is an
// outcome.Failure), as Flux's source-controller does. Repeated failures are
// aggregated by the recorder, which may be nil to record nothing.
func Announce(recorder record.EventRecorder, obj, previous Source, err error, reason string) {
	before, after := previous.GetArtifact(), obj.GetArtifact()
	rev := events.Revision{Artifact: after}
	if after != nil {
		rev.Revision = after.Revision
	}
	switch {
	case err != nil:
		failure := outcome.Of(err, reason)
		events.Record(recorder, obj, rev, corev1.EventTypeWarning, failure.Reason, failure.Error())
	case after != nil && (before == nil || before.Revision != after.Revision || before.Digest != after.Digest):
		events.Record(recorder, obj, rev, corev1.EventTypeNormal, v1alpha1.NewArtifactReason,
			fmt.Sprintf("stored artifact for revision '%s'", after.Revision))
	}
}

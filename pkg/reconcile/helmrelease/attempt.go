package helmrelease

import (
	"context"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// recordAttempt records what this run attempts to release: the generation,
// the chart version and the values' digest. When any of them differs from
// the last attempt's, the desired state changed and the failures counted
// against the old one are forgotten, as in Flux: retries start afresh. A
// reset request forgets them too; a force request is taken for the run.
func recordAttempt(_ context.Context, obj *v1alpha1.HelmRelease, run *run) error {
	digest := valuesDigest(run.values)
	st := &obj.Status
	reset := takeRequest(obj, v1alpha1.ResetRequestAnnotation, &st.LastHandledResetAt)
	run.force = takeRequest(obj, v1alpha1.ForceRequestAnnotation, &st.LastHandledForceAt)
	if reset || st.LastAttemptedGeneration != obj.Generation || st.LastAttemptedRevision != run.chart.Metadata.Version ||
		(st.LastAttemptedConfigDigest != "" && st.LastAttemptedConfigDigest != digest) {
		st.Failures, st.InstallFailures, st.UpgradeFailures = 0, 0, 0
	}
	st.LastAttemptedGeneration = obj.Generation
	st.LastAttemptedRevision = run.chart.Metadata.Version
	st.LastAttemptedRevisionDigest = run.ociDigest
	st.LastAttemptedConfigDigest = digest
	return nil
}

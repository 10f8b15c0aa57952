package helmrelease

import (
	"context"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// recordAttempt records what this run attempts to release: the generation,
// the chart version and the values' digest. When any of them differs from
// the last attempt's, the desired state changed and the failures counted
// against the old one are forgotten, as in Flux: retries start afresh.
func recordAttempt(_ context.Context, obj *v1alpha1.HelmRelease, run *run) error {
	digest := valuesDigest(run.values)
	st := &obj.Status
	if st.LastAttemptedGeneration != obj.Generation || st.LastAttemptedRevision != run.chart.Metadata.Version ||
		(st.LastAttemptedConfigDigest != "" && st.LastAttemptedConfigDigest != digest) {
		st.Failures, st.InstallFailures, st.UpgradeFailures = 0, 0, 0
	}
	st.LastAttemptedGeneration = obj.Generation
	st.LastAttemptedRevision = run.chart.Metadata.Version
	st.LastAttemptedRevisionDigest = run.ociDigest
	st.LastAttemptedConfigDigest = digest
	return nil
}

// Package gitrepository reconciles GitRepositories the way Flux's
// source-controller does: it checks out the requested revision of the
// repository and stores it as a tar.gz artifact on the server's volume.
//
// Reconcile (reconciler.go) reads as the list of steps; each step has a file
// of its own, and status.go is the one place that sets conditions.
package gitrepository

import (
	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// Short local names of the conditions and reasons this reconciler uses.
const (
	kind = v1alpha1.GitRepositoryKind

	sourceFetchFailed  = source.FetchFailedCondition
	storageFailed      = source.StorageOperationFailedCondition
	artifactInStorage  = source.ArtifactInStorageCondition
	sourceVerified     = source.SourceVerifiedCondition
	gitOperationFailed = source.GitOperationFailedReason
)

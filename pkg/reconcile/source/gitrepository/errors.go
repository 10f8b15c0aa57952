package gitrepository

import "gitops.io/apiserver/pkg/reconcile/source"

// The step errors of sources, named for this package's callers.
var (
	fetchFailed  = source.FetchFailed
	stalledError = source.Stalled
	isStalled    = source.IsStalled
)

// asStepError reports err as a step error, wrapping others as a failed Git
// operation.
func asStepError(err error) *source.StepError {
	return source.AsStepError(err, gitOperationFailed)
}

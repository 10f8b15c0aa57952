package ocirepository

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"gitops.io/apiserver/pkg/reconcile/source"
)

// The step errors of sources, named for this package's callers.
var (
	fetchFailed  = source.FetchFailed
	stalledError = source.Stalled
	storageError = source.StorageFailed
	isStalled    = source.IsStalled
)

// asStepError reports err as a step error, wrapping others as a failed pull.
func asStepError(err error) *source.StepError {
	return source.AsStepError(err, pullFailed)
}

// registryError reports a failed registry call: AuthenticationFailed when
// the registry refused the credentials, OCIArtifactPullFailed otherwise.
func registryError(err error, format string, args ...any) *source.StepError {
	reason := pullFailed
	var te *transport.Error
	if errors.As(err, &te) && (te.StatusCode == http.StatusUnauthorized || te.StatusCode == http.StatusForbidden) {
		reason = authenticationFailed
	}
	return fetchFailed(reason, "%s: %w", fmt.Sprintf(format, args...), err)
}

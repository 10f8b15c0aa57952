package ocirepository

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// registryError reports a failed registry call: AuthenticationFailed when
// the registry refused the credentials, OCIArtifactPullFailed otherwise.
func registryError(err error, format string, args ...any) *outcome.Failure {
	reason := source.OCIPullFailedReason
	var te *transport.Error
	if errors.As(err, &te) && (te.StatusCode == http.StatusUnauthorized || te.StatusCode == http.StatusForbidden) {
		reason = source.AuthenticationFailedReason
	}
	return source.FetchFailed(reason, "%s: %w", fmt.Sprintf(format, args...), err)
}

package ocirepository

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// registryError reports a failed registry call: AuthenticationFailed when
// the registry refused the credentials, OCIArtifactPullFailed otherwise.
func registryError(err error, format string, args ...any) *outcome.Failure {
	reason := v1alpha1.OCIPullFailedReason
	var te *transport.Error
	if errors.As(err, &te) && (te.StatusCode == http.StatusUnauthorized || te.StatusCode == http.StatusForbidden) {
		reason = v1alpha1.AuthenticationFailedReason
	}
	return source.FetchFailed(reason, "%s: %w", fmt.Sprintf(format, args...), err)
}

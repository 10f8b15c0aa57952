package ocirepository

import (
	"strings"

	"github.com/google/go-containerregistry/pkg/name"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// parseURL turns spec.url, oci://<registry>/<repository>, into the
// repository. A URL that cannot work stalls the object: no retry fixes it,
// only an edit. insecure lets the registry be reached over plain HTTP.
//
// Messages show the URL redacted: a user may have written a password into it.
func parseURL(raw string, insecure bool) (name.Repository, error) {
	shown := source.RedactURL(raw)
	rest, ok := strings.CutPrefix(raw, "oci://")
	if !ok {
		return name.Repository{}, source.Stalled(v1alpha1.URLInvalidReason, "URL '%s' does not start with oci://", shown)
	}
	// No registry reference holds '@' but a digest, and go-containerregistry
	// would quote the whole reference in its error.
	if strings.Contains(rest, "@") {
		return name.Repository{}, source.Stalled(v1alpha1.URLInvalidReason,
			"URL '%s' holds '@': credentials go in spec.secretRef, a digest in spec.ref.digest", shown)
	}
	if !strings.Contains(rest, "/") {
		return name.Repository{}, source.Stalled(v1alpha1.URLInvalidReason, "URL '%s' names a registry but no repository", shown)
	}
	options := []name.Option{name.StrictValidation}
	if insecure {
		options = append(options, name.Insecure)
	}
	repo, err := name.NewRepository(rest, options...)
	if err != nil {
		return name.Repository{}, source.Stalled(v1alpha1.URLInvalidReason, "URL '%s' is not oci://<registry>/<repository>: %v", shown, err)
	}
	return repo, nil
}

package ocirepository

import (
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
)

// parseURL turns spec.url, oci://<registry>/<repository>, into the
// repository. A URL that cannot work stalls the object: no retry fixes it,
// only an edit. insecure lets the registry be reached over plain HTTP.
func parseURL(raw string, insecure bool) (name.Repository, error) {
	rest, ok := strings.CutPrefix(raw, "oci://")
	if !ok {
		return name.Repository{}, stalledError(urlInvalid, "URL '%s' does not start with oci://", raw)
	}
	if !strings.Contains(rest, "/") {
		return name.Repository{}, stalledError(urlInvalid, "URL '%s' names a registry but no repository", raw)
	}
	options := []name.Option{name.StrictValidation}
	if insecure {
		options = append(options, name.Insecure)
	}
	repo, err := name.NewRepository(rest, options...)
	if err != nil {
		return name.Repository{}, stalledError(urlInvalid, "URL '%s' is not oci://<registry>/<repository>: %v", raw, err)
	}
	return repo, nil
}

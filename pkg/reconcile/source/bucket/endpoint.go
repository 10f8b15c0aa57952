package bucket

import (
	"net"
	"strings"

	"gitops.io/apiserver/pkg/reconcile/source"
)

// checkEndpoint checks spec.endpoint, which is host[:port] as in Flux: the
// scheme comes from spec.insecure. An endpoint that cannot work stalls the
// object: no retry fixes it, only an edit.
func checkEndpoint(endpoint string) error {
	if scheme, _, found := strings.Cut(endpoint, "://"); found {
		return stalledError(source.URLInvalidReason,
			"spec.endpoint '%s' must be host[:port] without the scheme '%s://' (spec.insecure chooses plain HTTP)",
			endpoint, scheme)
	}
	host := endpoint
	if h, port, err := net.SplitHostPort(endpoint); err == nil {
		if port == "" {
			return stalledError(source.URLInvalidReason, "spec.endpoint '%s' has an empty port", endpoint)
		}
		host = h
	}
	if host == "" || strings.ContainsAny(host, "/?#@ ") {
		return stalledError(source.URLInvalidReason, "spec.endpoint '%s' is not host[:port]", endpoint)
	}
	return nil
}

package gitrepository

import (
	"net/url"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// parseURL checks spec.url. A URL that cannot work stalls the object: no
// retry fixes it, only an edit. file:// URLs only work when allowFile: they
// reach the server's own disk, where the storage repository holds the
// objects of every namespace.
func parseURL(raw string, allowFile bool) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, source.Stalled(v1alpha1.URLInvalidReason, "URL '%s' does not parse", displayURL(raw))
	}
	switch u.Scheme {
	case "http", "https":
		if u.Host == "" {
			return nil, source.Stalled(v1alpha1.URLInvalidReason, "URL '%s' has no host", displayURL(raw))
		}
	case "file":
		if !allowFile {
			return nil, source.Stalled(v1alpha1.URLInvalidReason,
				"file URLs are turned off on this server (--allow-file-urls): '%s'", displayURL(raw))
		}
		if u.Path == "" {
			return nil, source.Stalled(v1alpha1.URLInvalidReason, "URL '%s' has no path", displayURL(raw))
		}
	case "ssh":
		if u.Host == "" {
			return nil, source.Stalled(v1alpha1.URLInvalidReason, "URL '%s' has no host", displayURL(raw))
		}
	default:
		return nil, source.Stalled(v1alpha1.URLInvalidReason, "URL '%s' has scheme '%s'; want http, https, ssh or file", displayURL(raw), u.Scheme)
	}
	return u, nil
}

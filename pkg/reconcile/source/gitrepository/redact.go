package gitrepository

import (
	"errors"
	"net/url"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/transport"
)

// isAuthError reports whether the remote refused the credentials: an HTTP
// 401 or 403, or an ssh server accepting none of the keys (x/crypto/ssh says
// so only in its message).
func isAuthError(err error) bool {
	return errors.Is(err, transport.ErrAuthenticationRequired) || errors.Is(err, transport.ErrAuthorizationFailed) ||
		strings.Contains(err.Error(), "ssh: unable to authenticate")
}

// displayURL is the URL without any password written into it.
func displayURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "<unparsable URL>"
	}
	return u.Redacted()
}

// redact hides the values of secrets in a message, in case an error from
// a library quotes them.
func redact(message string, secrets []string) string {
	for _, s := range secrets {
		if s != "" {
			message = strings.ReplaceAll(message, s, "***")
		}
	}
	return message
}

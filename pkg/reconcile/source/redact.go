package source

import "strings"

// RedactURL hides the userinfo of a URL written into a message, also of a
// URL that does not parse (whose parse error would quote it whole):
// everything between "://" and the last '@' becomes "***". Taking the last
// '@' also hides passwords with an unescaped '/', '?' or '#'; a path's '@'
// hides some of the path, which is fine for a message.
func RedactURL(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		scheme, rest = "", raw
	} else {
		scheme += "://"
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return raw
	}
	return scheme + "***" + rest[at:]
}

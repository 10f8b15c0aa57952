package source

import "strings"

// RedactURL hides the userinfo of a URL written into a message, also of a
// URL that does not parse (whose parse error would quote it whole):
// everything between "://" and the last '@' becomes "***". Taking the last
// '@' also hides passwords with an unescaped '/', '?' or '#'; a path's '@'
// hides some of the path, which is fine for a message.
func RedactURL(raw string) string {
	before, _, after, ok := splitUserinfo(raw)
	if !ok {
		return raw
	}
	return before + "***" + after
}

// RedactURLIn hides the userinfo of raw wherever message quotes it, for
// messages that quote URLs built from raw.
func RedactURLIn(message, raw string) string {
	if _, info, _, ok := splitUserinfo(raw); ok {
		return strings.ReplaceAll(message, info, "***")
	}
	return message
}

// splitUserinfo cuts raw around what RedactURL hides.
func splitUserinfo(raw string) (before, info, after string, ok bool) {
	scheme, rest, found := strings.Cut(raw, "://")
	if !found {
		scheme, rest = "", raw
	} else {
		scheme += "://"
	}
	at := strings.LastIndex(rest, "@")
	if at <= 0 {
		return "", "", "", false
	}
	return scheme, rest[:at], rest[at:], true
}

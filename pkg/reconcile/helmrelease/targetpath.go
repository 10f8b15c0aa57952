package helmrelease

import (
	"strings"

	"helm.sh/helm/v4/pkg/strvals"
)

// setAtPath sets value at path in values, as `helm --set path=value` does:
// path in --set syntax (dots, list indexes, '\.' for a dot in a key), value
// a --set value ('{a,b}' is a list, 'true' a bool), or a string when it is
// quoted. With literal, value is a string taken as it is, like
// `helm --set-literal`, while path keeps its --set syntax.
func setAtPath(values map[string]any, path, value string, literal bool) error {
	switch {
	case literal:
		return strvals.ParseIntoString(path+"="+escapeEveryRune(value), values)
	case isQuoted(value):
		return strvals.ParseIntoString(path+"="+value[1:len(value)-1], values)
	default:
		return strvals.ParseInto(path+"="+value, values)
	}
}

// escapeEveryRune puts a backslash before every rune of s, so that Helm's
// --set parser reads none of them as syntax (',' between values, '{' of a
// list, '\' itself) and keeps s as it is.
func escapeEveryRune(s string) string {
	var b strings.Builder
	b.Grow(2 * len(s))
	for _, r := range s {
		b.WriteByte('\\')
		b.WriteRune(r)
	}
	return b.String()
}

func isQuoted(s string) bool {
	return len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0]
}

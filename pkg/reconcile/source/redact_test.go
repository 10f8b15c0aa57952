package source

import "testing"

func TestRedactURLHidesUserinfoOfAnyURL(t *testing.T) {
	for raw, want := range map[string]string{
		"https://user:s3cret@charts.example/":       "https://***@charts.example/",
		"https://user:s3cret@charts.example/%zz":    "https://***@charts.example/%zz",
		"oci://user:s3/cr?e#t@registry.example/app": "oci://***@registry.example/app",
		"user:s3cret@charts.example":                "***@charts.example",
		"https://charts.example/charts":             "https://charts.example/charts",
	} {
		if got := RedactURL(raw); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", raw, got, want)
		}
	}
}

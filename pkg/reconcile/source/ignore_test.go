package source

import "testing"

func TestIgnoreRules(t *testing.T) {
	custom := "*.md\n# comment\n!keep.md\n"
	for _, tc := range []struct {
		name    string
		ignore  *string
		path    string
		isDir   bool
		ignored bool
	}{
		{"git folder by default", nil, ".git", true, true},
		{"git folder with spec.ignore", &custom, ".git", true, true},
		{"manifest by default", nil, "deploy/app.yaml", false, false},
		{"image by default", nil, "docs/logo.png", false, true},
		{"CI folder by default", nil, ".github", true, true},
		{"spec.ignore replaces the defaults", &custom, "docs/logo.png", false, false},
		{"spec.ignore pattern", &custom, "docs/README.md", false, true},
		{"spec.ignore negation", &custom, "keep.md", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			exclude, err := ExcludeFor(t.TempDir(), tc.ignore)
			if err != nil {
				t.Fatal(err)
			}
			if got := exclude(tc.path, tc.isDir); got != tc.ignored {
				t.Errorf("%s excluded = %v, want %v", tc.path, got, tc.ignored)
			}
		})
	}
}

package gitrepository

import (
	"sort"
	"strings"
	"testing"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

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
			exclude, err := excludeFor(t.TempDir(), tc.ignore)
			if err != nil {
				t.Fatal(err)
			}
			if got := exclude(tc.path, tc.isDir); got != tc.ignored {
				t.Errorf("%s excluded = %v, want %v", tc.path, got, tc.ignored)
			}
		})
	}
}

func TestSourceIgnoreFilesApplyBelowTheirFolder(t *testing.T) {
	remote := newRemoteRepo(t)
	remote.commit(map[string]string{
		".sourceignore":         "*.txt\n",
		"notes.txt":             "n",
		"apps/.sourceignore":    "!keep.txt\ntest/\n",
		"apps/keep.txt":         "k",
		"apps/drop.txt":         "d",
		"apps/test/case.yaml":   "t",
		"apps/app.yaml":         "a",
		"infra/test/infra.yaml": "i",
	})
	r := newTestReconciler(t)
	obj := gitRepository(remote.url(), &v1alpha1.GitRepositoryRef{Branch: "main"})
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatal(err)
	}
	_, files := storedFiles(t, r, obj)
	var names []string
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	want := ".sourceignore,apps/.sourceignore,apps/app.yaml,apps/keep.txt,infra/test/infra.yaml"
	if got := strings.Join(names, ","); got != want {
		t.Errorf("artifact holds %s, want %s", got, want)
	}
}

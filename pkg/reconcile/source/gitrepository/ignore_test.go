package gitrepository

import (
	"sort"
	"strings"
	"testing"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

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

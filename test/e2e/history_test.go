package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

func TestHistoryListsAPIWritesAndPushesWithTheirAuthors(t *testing.T) {
	ns := newNamespace(t)
	const alice, bob, viewer = "e2e-history-alice", "e2e-history-bob", "e2e-history-viewer"
	bindRole(t, ns, alice, "gitops-edit", "create")
	bindRole(t, ns, bob, "gitops-edit", "create")
	bindRole(t, ns, viewer, "view", "get")
	path := manifestPath(ns, "kustomizations", "podinfo")

	kubectl(t, "apply", "-n", ns, "-f", "testdata/kustomization.yaml", "--as="+alice)
	setPath := func(user, value string) {
		kubectl(t, "patch", "kustomization", "podinfo", "-n", ns, "--type=merge", "-p", `{"spec":{"path":"`+value+`"}}`, "--as="+user)
	}
	setPath(bob, "./by-bob")
	setPath(alice, "./by-alice")

	// A person pushes a change, from a clone that has the API's writes.
	if err := eventually(5*time.Second, func() error {
		manifest, err := tryStorageGit(t, "show", storageBranch+":"+path)
		if err == nil && !strings.Contains(manifest, "path: ./by-alice") {
			err = fmt.Errorf("%s on %s is\n%s", path, storageBranch, manifest)
		}
		return err
	}); err != nil {
		t.Fatalf("the Git view lacks alice's update: %v", err)
	}
	clone := cloneStorage(t)
	manifest, err := os.ReadFile(filepath.Join(clone.dir, filepath.FromSlash(path)))
	if err != nil {
		t.Fatal(err)
	}
	pushed := strings.Replace(string(manifest), "path: ./by-alice", "path: ./pushed", 1)
	clone.commitAndPush("Build ./pushed\n\nAs agreed in the review.", map[string]string{path: pushed})
	if err := eventually(10*time.Second, func() error {
		out, err := tryKubectl(t, "", "get", "kustomization", "podinfo", "-n", ns, "-o", "jsonpath={.spec.path}")
		if err == nil && out != "./pushed" {
			err = fmt.Errorf("spec.path is %q", out)
		}
		return err
	}); err != nil {
		t.Fatalf("the pushed change is not served: %v", err)
	}

	// A user who may get the Kustomization reads its history.
	history := objectHistory(t, ns, "podinfo", "", viewer)
	type row struct {
		author, email string
		change        v1alpha1.HistoryChange
	}
	want := []row{
		{"e2e pusher", "pusher@example.com", v1alpha1.HistoryChangeUpdated},
		{alice, alice + "@users.gitops.io", v1alpha1.HistoryChangeUpdated},
		{bob, bob + "@users.gitops.io", v1alpha1.HistoryChangeUpdated},
		{alice, alice + "@users.gitops.io", v1alpha1.HistoryChangeCreated},
	}
	var got []row
	for _, e := range history.Items {
		got = append(got, row{e.Author.Name, e.Author.Email, e.Change})
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("history lists\n  %v\nwant, newest first,\n  %v", got, want)
	}
	// git log says which commits those are.
	commits := strings.Fields(storageGit(t, "log", "--first-parent", "--format=%H", storageBranch, "--", path))
	newer := uint64(1<<64 - 1)
	for i, e := range history.Items {
		if i < len(commits) && e.Commit != commits[i] {
			t.Errorf("item %d is commit %s; git log lists %s", i, e.Commit, commits[i])
		}
		rv, err := strconv.ParseUint(e.ResourceVersion, 10, 64)
		if err != nil || rv >= newer {
			t.Errorf("item %d has resourceVersion %q; want one below the newer item's %d", i, e.ResourceVersion, newer)
		}
		newer = rv
	}
	if s := history.Items[0]; s.Summary != "Build ./pushed" || !strings.Contains(s.Message, "As agreed in the review.") {
		t.Errorf("the push's summary is %q and message %q", s.Summary, s.Message)
	}
	if s := history.Items[3].Summary; s != "create kustomizations "+ns+"/podinfo" {
		t.Errorf("the create's summary is %q", s)
	}

	t.Run("pages join to the whole", func(t *testing.T) {
		first := objectHistory(t, ns, "podinfo", "limit=3", viewer)
		if len(first.Items) != 3 || first.Continue == "" {
			t.Fatalf("limit=3 gave %d items and continue %q", len(first.Items), first.Continue)
		}
		rest := objectHistory(t, ns, "podinfo", "limit=3&continue="+first.Continue, viewer)
		if len(rest.Items) != 1 || rest.Items[0] != history.Items[3] || rest.Continue != "" {
			t.Errorf("the second page is %+v; want the create and no continue", rest)
		}
	})

	t.Run("at the first commit and resourceVersion", func(t *testing.T) {
		create := history.Items[3]
		for _, at := range []string{create.Commit, create.ResourceVersion} {
			out, err := kubectlRaw(t, historyURL(ns, "podinfo", "at="+at), viewer)
			if err != nil {
				t.Fatalf("at=%s: %v", at, err)
			}
			var k v1alpha1.Kustomization
			if err := json.Unmarshal(out, &k); err != nil || k.Kind != v1alpha1.KustomizationKind || k.Spec.Path != "./kustomize" {
				t.Errorf("at=%s gave %s (%v); want the Kustomization with its first path ./kustomize", at, out, err)
			}
		}
	})

	t.Run("an unknown commit is named", func(t *testing.T) {
		unknown := strings.Repeat("0", 40)
		out, err := kubectlRaw(t, historyURL(ns, "podinfo", "at="+unknown), viewer)
		if err == nil || !strings.Contains(err.Error(), "NotFound") || !strings.Contains(err.Error(), unknown) {
			t.Errorf("at=%s: err %v, output %s; want NotFound naming the commit", unknown, err, out)
		}
	})

	t.Run("a user who may not get is refused", func(t *testing.T) {
		out, err := kubectlRaw(t, historyURL(ns, "podinfo", ""), "e2e-nobody")
		if err == nil || !strings.Contains(err.Error(), "Forbidden") || !strings.Contains(err.Error(), "kustomizations/history") {
			t.Errorf("e2e-nobody read the history: err %v\n%s", err, out)
		}
	})
}

func historyURL(ns, name, query string) string {
	url := "/apis/gitops.io/v1alpha1/namespaces/" + ns + "/kustomizations/" + name + "/history"
	if query != "" {
		url += "?" + query
	}
	return url
}

// objectHistory reads a Kustomization's history subresource as user.
func objectHistory(t *testing.T, ns, name, query, user string) *v1alpha1.ObjectHistory {
	t.Helper()
	out, err := kubectlRaw(t, historyURL(ns, name, query), user)
	if err != nil {
		t.Fatalf("kubectl get --raw %s: %v", historyURL(ns, name, query), err)
	}
	var h v1alpha1.ObjectHistory
	if err := json.Unmarshal(out, &h); err != nil || h.Kind != v1alpha1.ObjectHistoryKind || h.APIVersion != "gitops.io/v1alpha1" {
		t.Fatalf("the history is not an ObjectHistory in JSON (%v):\n%s", err, out)
	}
	return &h
}

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// ownerOf is status.owner of an object as "username groups", e.g.
// "gitops:push [gitops:pushers]".
func ownerOf(t *testing.T, namespace, resource, name string) string {
	t.Helper()
	return kubectl(t, "get", resource, name, "-n", namespace, "-o", `jsonpath={.status.owner.username} {.status.owner.groups}`)
}

// pushEdit changes the file of an object written through the API with edit
// and pushes it, from a clone that has the API's write.
func pushEdit(t *testing.T, namespace, resource, name string, edit func(string) string) {
	t.Helper()
	path := manifestPath(namespace, resource, name)
	// The Git view of a write follows its answer by a few milliseconds.
	if err := eventually(5*time.Second, func() error {
		_, err := tryStorageGit(t, "cat-file", "-e", storageBranch+":"+path)
		return err
	}); err != nil {
		t.Fatalf("%s is not on %s: %v", path, storageBranch, err)
	}
	clone := cloneStorage(t)
	manifest, err := os.ReadFile(filepath.Join(clone.dir, filepath.FromSlash(path)))
	if err != nil {
		t.Fatal(err)
	}
	edited := edit(string(manifest))
	if edited == string(manifest) {
		t.Fatalf("the edit left %s as it was:\n%s", path, manifest)
	}
	clone.commitAndPush("edit "+path, map[string]string{path: edited})
}

// waitForField waits until kubectl shows jsonpath of an object as want.
func waitForField(t *testing.T, namespace, resource, name, jsonpath, want string) {
	t.Helper()
	var got string
	if err := eventually(30*time.Second, func() error {
		var err error
		got, err = tryKubectl(t, "", "get", resource, name, "-n", namespace, "-o", "jsonpath="+jsonpath)
		if err == nil && got != want {
			err = fmt.Errorf("%s is %q", jsonpath, got)
		}
		return err
	}); err != nil {
		t.Fatalf("%s %s does not show %s = %q: %v", resource, name, jsonpath, want, err)
	}
}

// Git names no Kubernetes user: objects taken in from a push are owned by
// the push identity, which reconcilers then act as; pushing to an object of
// the API lends it the pusher's rights only when the push changes the
// identity it acts as (spec.serviceAccountName), as the API's own rule is.
func TestPushedObjectsAreOwnedByThePushIdentity(t *testing.T) {
	ns := newNamespace(t)
	const alice = "e2e-owner-alice"
	bindRole(t, ns, alice, "gitops-edit", "create")
	wantPushed := pushIdentity + ` ["` + pushersGroup + `"]`
	// Objects of the API first; they also start the storage branch.
	kubectl(t, "apply", "-n", ns, "-f", "testdata/gitrepository.yaml", "-f", "testdata/kustomization.yaml", "--as="+alice)

	t.Run("objects created with kubectl are owned by its user", func(t *testing.T) {
		for _, resource := range []string{"gitrepository", "kustomization"} {
			if got := ownerOf(t, ns, resource, "podinfo"); !strings.HasPrefix(got, alice+" ") {
				t.Errorf("the %s alice created is owned by %q", resource, got)
			}
		}
	})

	t.Run("a pushed GitRepository is owned by the push identity", func(t *testing.T) {
		const url = "https://example.com/pushed.git"
		cloneStorage(t).commitAndPush("add pushed", map[string]string{
			manifestPath(ns, "gitrepositories", "pushed"): gitRepositoryManifest(ns, "pushed", url)})
		if _, err := waitForURL(t, ns, "pushed", url, 30*time.Second); err != nil {
			t.Fatalf("the pushed GitRepository is not served: %v", err)
		}
		if got := ownerOf(t, ns, "gitrepository", "pushed"); got != wantPushed {
			t.Errorf("the pushed GitRepository is owned by %q, want %q", got, wantPushed)
		}
	})

	t.Run("a pushed change of another field keeps the owner", func(t *testing.T) {
		pushEdit(t, ns, "gitrepositories", "podinfo", func(m string) string {
			return strings.Replace(m, "interval: 5m", "interval: 7m", 1)
		})
		waitForField(t, ns, "gitrepository", "podinfo", "{.spec.interval}", "7m")
		if got := ownerOf(t, ns, "gitrepository", "podinfo"); !strings.HasPrefix(got, alice+" ") {
			t.Errorf("after a pushed change of spec.interval the owner is %q, want alice still", got)
		}
	})

	t.Run("pushing spec.serviceAccountName onto a Kustomization makes the push identity its owner", func(t *testing.T) {
		pushEdit(t, ns, "kustomizations", "podinfo", func(m string) string {
			return strings.Replace(m, "  prune: true\n", "  prune: true\n  serviceAccountName: deployer\n", 1)
		})
		waitForField(t, ns, "kustomization", "podinfo", "{.spec.serviceAccountName}", "deployer")
		if got := ownerOf(t, ns, "kustomization", "podinfo"); got != wantPushed {
			t.Errorf("after a push that sets spec.serviceAccountName the owner is %q, want %q", got, wantPushed)
		}
	})
}

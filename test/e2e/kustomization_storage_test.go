package e2e

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// The storage model end to end: a Kustomization pushed into the storage
// repository with git, no kubectl, is served and reconciled; and what a
// person wrote stays as written: the server's own writes (status,
// finalizers) and reconcile requests make no commit on the branch, and an
// API change of one field edits that line of the file only.
func TestPushedKustomizationIsReconciledAndKeptAsWritten(t *testing.T) {
	useReconcilers(t)
	password := "pw-" + randomHex(t)
	app := newKustomizeApp(t, startGitServer(t, "e2e", password, ""), password)
	// The pushed Kustomization is owned by the push identity, and its
	// reconciler acts as its owner: pushers may apply to the app's namespace.
	bindPushers(t, app.ns)
	revision := app.push(t, map[string]string{"pushed/config.yaml": configMap("pushed", app.ns, "from a push")})

	t.Run("pushed file survives reconciles byte for byte", func(t *testing.T) {
		path := manifestPath(app.ns, "kustomizations", "pushed")
		pushed := `# Applies ./pushed of the app.
apiVersion: gitops.io/v1alpha1
kind: Kustomization
metadata: {name: pushed, namespace: ` + app.ns + `}

spec:
    interval: 10m   # not often
    path: ./pushed
    # prune what leaves the source
    prune: true
    sourceRef: {kind: GitRepository, name: app}
`
		cloneStorage(t).commitAndPush("add a Kustomization by git push", map[string]string{path: pushed})
		if err := eventually(30*time.Second, func() error {
			_, err := tryKubectl(t, "", "get", "kustomization", "pushed", "-n", app.ns)
			return err
		}); err != nil {
			t.Fatalf("the pushed Kustomization is not served: %v", err)
		}
		app.waitForReady(t, "pushed", revision)
		if value := kubectl(t, "get", "configmap", "pushed", "-n", app.ns, "-o", "jsonpath={.data.value}"); value != "from a push" {
			t.Errorf("the pushed Kustomization applied %q, want %q", value, "from a push")
		}
		requested := time.Now().Format(time.RFC3339Nano)
		kubectl(t, "annotate", "kustomization", "pushed", "-n", app.ns, "--overwrite", "reconcile.fluxcd.io/requestedAt="+requested)
		kubectlWait(t, time.Minute, "--for=jsonpath={.status.lastHandledReconcileAt}="+requested, "kustomization/pushed", "-n", app.ns)

		if got := storageGit(t, "show", storageBranch+":"+path); got != pushed {
			t.Errorf("after reconciles and a reconcile request the file reads\n%s\nwant it as pushed:\n%s", got, pushed)
		}
		if commits := commitsOf(t, path); len(commits) != 1 || commits[0] != "e2e pusher" {
			t.Errorf("the file's commits are by %v; want only the pusher's", commits)
		}

		kubectl(t, "patch", "kustomization", "pushed", "-n", app.ns, "--type=merge", "-p", `{"spec":{"interval":"20m"}}`)
		want := strings.Replace(pushed, "interval: 10m", "interval: 20m", 1)
		var got string
		if err := eventually(5*time.Second, func() error {
			got = storageGit(t, "show", storageBranch+":"+path)
			if got != want {
				return errors.New("the file differs")
			}
			return nil
		}); err != nil {
			t.Errorf("after a patch of spec.interval the file reads\n%s\nwant only that line changed:\n%s\n(git diff: %s)",
				got, want, storageGit(t, "diff", storageBranch+"~1", storageBranch, "--", path))
		}
	})

	t.Run("apply and reconcile requests make one commit", func(t *testing.T) {
		path := manifestPath(app.ns, "gitrepositories", "app")
		for i := range 10 {
			kubectl(t, "annotate", "gitrepository", "app", "-n", app.ns, "--overwrite",
				"reconcile.fluxcd.io/requestedAt=request-"+string(rune('a'+i)))
		}
		kubectlWait(t, time.Minute, "--for=jsonpath={.status.lastHandledReconcileAt}=request-j", "gitrepository/app", "-n", app.ns)
		// Sources keep no finalizer (the Kustomization above has one); the
		// reconciler's writes here are its status.
		if artifact := kubectl(t, "get", "gitrepository", "app", "-n", app.ns, "-o", "jsonpath={.status.artifact.revision}"); artifact == "" {
			t.Fatal("the GitRepository has no artifact; the test needs the reconciler's writes")
		}
		if commits := commitsOf(t, path); len(commits) != 1 {
			t.Errorf("the GitRepository's file has %d commits (%v); want 1: the apply", len(commits), commits)
		}
		file := storageGit(t, "show", storageBranch+":"+path)
		for _, unwanted := range []string{"last-applied-configuration", "requestedAt"} {
			if strings.Contains(file, unwanted) {
				t.Errorf("the file holds %s:\n%s", unwanted, file)
			}
		}
		if applied := kubectl(t, "get", "gitrepository", "app", "-n", app.ns,
			"-o", `jsonpath={.metadata.annotations.kubectl\.kubernetes\.io/last-applied-configuration}`); !strings.Contains(applied, app.repo.url) {
			t.Errorf("the served object's last-applied-configuration is %q; want kubectl's", applied)
		}

		// kubectl apply's three-way merge: a field the last apply set and
		// this one leaves out is removed.
		withIgnore := strings.Replace(gitRepositoryOnBranch("app", app.repo.url, "main", "git-auth", "10m"),
			"spec:\n", "spec:\n  ignore: \"*.md\"\n", 1)
		kubectlWithInput(t, withIgnore, "apply", "-n", app.ns, "-f", "-")
		if ignore := kubectl(t, "get", "gitrepository", "app", "-n", app.ns, "-o", "jsonpath={.spec.ignore}"); ignore != "*.md" {
			t.Fatalf("spec.ignore is %q after an apply that sets it", ignore)
		}
		kubectlWithInput(t, gitRepositoryOnBranch("app", app.repo.url, "main", "git-auth", "20m"), "apply", "-n", app.ns, "-f", "-")
		got := kubectl(t, "get", "gitrepository", "app", "-n", app.ns, "-o", "jsonpath={.spec.ignore}/{.spec.interval}")
		if got != "/20m" {
			t.Errorf("after an apply without spec.ignore and with interval 20m: ignore/interval = %q, want \"/20m\"", got)
		}
		if commits := commitsOf(t, path); len(commits) != 3 {
			t.Errorf("the file has %d commits after two more applies, want 3", len(commits))
		}
	})
}

// commitsOf lists the authors of the branch's commits of path, newest first.
func commitsOf(t *testing.T, path string) []string {
	t.Helper()
	out := strings.TrimSpace(storageGit(t, "log", "--format=%an", storageBranch, "--", path))
	if out == "" {
		return nil
	}
	return strings.Split(out, "\n")
}

package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// The Kustomization reconciler against the real control plane, with its
// sources in a real Git server on loopback.
func TestKustomizationReconciler(t *testing.T) {
	server, password := startReconcilersWithGitServer(t)
	for _, feature := range []struct {
		name string
		test func(t *testing.T, app *kustomizeApp)
	}{
		{"applies, follows a commit, prunes, and deletes its objects with it", testApplyChangePruneDelete},
		{"deletionPolicy Orphan keeps the objects and Delete deletes them without prune", testDeletionPolicyOrphanAndDelete},
		{"deletionPolicy WaitForTermination holds the Kustomization until its objects are gone or timeout passes", testDeletionPolicyWaitForTermination},
		{"a prune the ServiceAccount may not do is PruneFailed and retried", testPruneFailedIsRetried},
		{"drift made with kubectl is undone on the next reconcile", testDriftIsRestored},
		{"a requested reconcile of an unchanged revision applies nothing and is recorded", testUnchangedRevisionIsNotAppliedAgain},
		{"--override-manager: what that field manager changed is applied back, what it added removed, its managed fields gone", testOverrideManagerIsUndoneByTheApply},
		{"prune: disabled and ssa: IfNotPresent, Ignore and Merge annotations are honoured", testPerObjectAnnotations},
		{"force recreates an object whose immutable field changed", testForceRecreatesImmutable},
		{"suspended is left alone until resumed", testKustomizationSuspendedUntilResumed},
		{"dependsOn waits until the dependency is Ready", testDependsOnWaits},
		{"dependsOn with kind GitRepository waits until that GitRepository is Ready", testDependsOnGitRepository},
		{"a dependency cycle is reported", testDependencyCycleReported},
		{"a ServiceAccount without rights names the forbidden object", testServiceAccountWithoutRights},
		{"a custom resource whose Ready is False fails the health check", testHealthCheckNamesUnreadyObject},
		{"healthChecks without wait check the listed objects only", testHealthChecksListDecides},
		{"healthCheckExprs decide the health of a custom resource with CEL", testHealthCheckExprs},
		{"dependsOn readyExpr decides readiness with CEL", testDependsOnReadyExpr},
		{"a broken kustomization or substitution names the file and keeps the last objects", testBrokenBuildKeepsObjects},
		{"applies to the cluster of a kubeconfig Secret", testKubeConfigSecret},
		{"targetNamespace, namePrefix, images, patches and postBuild substitution", testOverlaysAndSubstitution},
		{"a SOPS-encrypted Secret is decrypted with an age key", testSOPSDecryption},
	} {
		t.Run(feature.name, func(t *testing.T) {
			t.Parallel()
			feature.test(t, newKustomizeApp(t, server, password))
		})
	}
}

// startReconcilersWithGitServer runs the server with its reconcilers and a
// Git server with basic auth, and checks at the end that the password never
// reached the server's log (which it shows when the test failed).
func startReconcilersWithGitServer(t testing.TB) (*gitServer, string) {
	useReconcilers(t)
	password := "pw-" + randomHex(t)
	server := startGitServer(t, "e2e", password, "")
	showServerLogOnFailure(t, password)
	return server, password
}

// kustomizeApp is a namespace with a Git repository, a GitRepository of it
// and the basic auth Secret it reads.
type kustomizeApp struct {
	ns   string
	repo *workRepo
}

func newKustomizeApp(t *testing.T, server *gitServer, password string) *kustomizeApp {
	ns := newNamespace(t)
	repo := server.newRepo(t, "app-"+ns, map[string]string{"README.md": "an app\n"})
	createBasicAuthSecret(t, ns, "git-auth", "e2e", password)
	applyGitRepository(t, ns, "app", repo.url, "main", "git-auth", "10m")
	return &kustomizeApp{ns: ns, repo: repo}
}

// push commits files (an empty content deletes the file), pushes, asks the
// GitRepository to fetch, and returns the revision the Kustomizations will
// apply.
func (a *kustomizeApp) push(t *testing.T, files map[string]string) string {
	t.Helper()
	write := map[string]string{}
	for name, content := range files {
		if content == "" {
			a.repo.git("rm", "--quiet", name)
		} else {
			write[name] = content
		}
	}
	sha := a.repo.commitAndPush(write)
	revision := "main@sha1:" + sha
	kubectl(t, "annotate", "gitrepository", "app", "-n", a.ns, "--overwrite",
		"reconcile.fluxcd.io/requestedAt="+time.Now().Format(time.RFC3339Nano))
	kubectlWait(t, time.Minute, "--for=jsonpath={.status.artifact.revision}="+revision, "gitrepository/app", "-n", a.ns)
	return revision
}

// applyKustomization applies a Kustomization of the app's GitRepository
// with the spec fields in extra (YAML indented by two spaces).
func (a *kustomizeApp) applyKustomization(t *testing.T, name, path, extra string) {
	t.Helper()
	kubectlWithInput(t, kustomizationManifest(name, path, extra), "apply", "-n", a.ns, "-f", "-")
}

// kustomizationManifest is the YAML of a Kustomization of GitRepository app
// with the spec fields in extra (YAML indented by two spaces).
func kustomizationManifest(name, path, extra string) string {
	return fmt.Sprintf(`apiVersion: gitops.io/v1alpha1
kind: Kustomization
metadata:
  name: %s
spec:
  interval: 10m
  path: %s
  prune: true
  sourceRef:
    kind: GitRepository
    name: app
%s`, name, path, extra)
}

// waitForReady waits until Kustomization name is Ready at revision.
func (a *kustomizeApp) waitForReady(t *testing.T, name, revision string) {
	t.Helper()
	kubectlWait(t, 2*time.Minute, "--for=jsonpath={.status.lastAppliedRevision}="+revision, "kustomization/"+name, "-n", a.ns)
	kubectlWait(t, time.Minute, "--for=condition=Ready", "kustomization/"+name, "-n", a.ns)
}

// waitForNotReady waits until Kustomization name is not Ready with reason
// and a message containing each of texts, and returns the message.
func (a *kustomizeApp) waitForNotReady(t *testing.T, name, reason string, texts ...string) string {
	t.Helper()
	var message string
	err := eventually(2*time.Minute, func() error {
		var got string
		got, message = readyConditionOf(t, a.ns, "kustomization/"+name)
		if got != reason {
			return fmt.Errorf("Ready reason %q (%s), want %s", got, message, reason)
		}
		for _, text := range texts {
			if !strings.Contains(message, text) {
				return fmt.Errorf("Ready message %q does not contain %q", message, text)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return message
}

// exists reports whether kubectl finds the object (resource/name) in ns
// ("" for cluster-scoped objects).
func exists(t *testing.T, ns, object string) bool {
	t.Helper()
	args := []string{"get", object, "--ignore-not-found", "-o", "name"}
	if ns != "" {
		args = append(args, "-n", ns)
	}
	return strings.TrimSpace(kubectl(t, args...)) != ""
}

func configMap(name, ns, data string) string {
	return fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n  namespace: %s\ndata:\n  value: %q\n", name, ns, data)
}

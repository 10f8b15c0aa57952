package e2e

import (
	"fmt"
	"testing"
	"time"
)

// GitRepository verification and includes. TestGitRepositoryReconciler
// runs them.

func testCommitSignaturesVerified(t *testing.T, server *gitServer, password, token string) {
	ns := newNamespace(t)
	repo := server.newRepo(t, "signed", map[string]string{"app.yaml": "kind: ConfigMap\n"})
	key, public := newSigningKey(t)
	signed := repo.signedCommitAndPush(key, map[string]string{"app.yaml": "kind: ConfigMap\n# signed\n"})
	createBasicAuthSecret(t, ns, "git-auth", "e2e", password)
	kubectl(t, "create", "secret", "generic", "keys", "-n", ns, "--from-literal=trusted.asc="+public)
	kubectlWithInput(t, fmt.Sprintf(`apiVersion: gitops.io/v1alpha1
kind: GitRepository
metadata:
  name: signed
spec:
  url: %s
  interval: 10m
  ref:
    branch: main
  secretRef:
    name: git-auth
  verify:
    mode: HEAD
    secretRef:
      name: keys
`, repo.url), "apply", "-n", ns, "-f", "-")
	kubectlWait(t, time.Minute, "--for=condition=Ready", "gitrepository/signed", "-n", ns)
	kubectlWait(t, 10*time.Second, "--for=condition=SourceVerified", "gitrepository/signed", "-n", ns)
	if rev := artifactStatus(t, ns, "signed").revision; rev != "main@sha1:"+signed {
		t.Errorf("revision %q, want the signed main@sha1:%s", rev, signed)
	}

	unsigned := repo.commitAndPush(map[string]string{"app.yaml": "kind: ConfigMap\n# unsigned\n"})
	kubectl(t, "annotate", "gitrepository", "signed", "-n", ns, "--overwrite", "gitops.io/requestedAt="+unsigned)
	kubectlWait(t, time.Minute, "--for=condition=SourceVerified=False", "gitrepository/signed", "-n", ns)
	if reason, _ := readyCondition(t, ns, "signed"); reason != "InvalidCommitSignature" {
		t.Errorf("Ready reason %q after an unsigned commit, want InvalidCommitSignature", reason)
	}
	if rev := artifactStatus(t, ns, "signed").revision; rev != "main@sha1:"+signed {
		t.Errorf("after an unsigned commit the artifact is %q; want the last verified main@sha1:%s", rev, signed)
	}
}

func testIncludeFollowsIncludedArtifact(t *testing.T, server *gitServer, password, token string) {
	ns := newNamespace(t)
	lib := server.newRepo(t, "lib", map[string]string{"base/lib.yaml": "kind: ConfigMap\n# lib v1\n"})
	app := server.newRepo(t, "includer", map[string]string{"app.yaml": "kind: ConfigMap\n"})
	createBasicAuthSecret(t, ns, "git-auth", "e2e", password)
	applyGitRepository(t, ns, "lib", lib.url, "main", "git-auth", "10m")
	kubectlWithInput(t, fmt.Sprintf(`apiVersion: gitops.io/v1alpha1
kind: GitRepository
metadata:
  name: app
spec:
  url: %s
  interval: 10m
  ref:
    branch: main
  secretRef:
    name: git-auth
  include:
    - repository:
        name: lib
      fromPath: base
      toPath: vendor/lib
`, app.url), "apply", "-n", ns, "-f", "-")
	kubectlWait(t, time.Minute, "--for=condition=Ready", "gitrepository/app", "-n", ns)
	vendored := func() string {
		t.Helper()
		data := artifactBytes(t, artifactStatus(t, ns, "app"), "")
		return tarFileContent(t, data, "vendor/lib/lib.yaml")
	}
	if got := vendored(); got != "kind: ConfigMap\n# lib v1\n" {
		t.Fatalf("vendor/lib/lib.yaml in the artifact: %q", got)
	}

	second := lib.commitAndPush(map[string]string{"base/lib.yaml": "kind: ConfigMap\n# lib v2\n"})
	kubectl(t, "annotate", "gitrepository", "lib", "-n", ns, "--overwrite", "gitops.io/requestedAt="+second)
	// Only lib is asked; app follows its new artifact by itself.
	kubectlWait(t, 30*time.Second, "--for=jsonpath={.status.includedArtifacts[0].revision}=main@sha1:"+second, "gitrepository/app", "-n", ns)
	if got := vendored(); got != "kind: ConfigMap\n# lib v2\n" {
		t.Errorf("after lib's new commit, vendor/lib/lib.yaml in app's artifact is %q", got)
	}
}

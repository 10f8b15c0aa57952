package e2e

import (
	"fmt"
	"testing"
)

// The GitRepository reconciler against a real Git server (git http-backend
// with basic auth) on loopback.
func TestGitRepositoryReconciler(t *testing.T) {
	useReconcilers(t)
	password, token := "pw-"+randomHex(t), "token-"+randomHex(t)
	server := startGitServer(t, "e2e", password, token)
	showServerLogOnFailure(t, password, token)
	for _, feature := range []struct {
		name string
		test func(t *testing.T, server *gitServer, password, token string)
	}{
		{"becomes Ready with revision and digest, and follows a new commit on request", testReadyWithRevisionDigestAndNewCommitOnRequest},
		{"wrong password is AuthenticationFailed until the Secret is fixed", testWrongPasswordUntilSecretIsFixed},
		{"unreachable host is not Ready and says so, until the server is up", testUnreachableHost},
		{"file URLs are refused without --allow-file-urls", testFileURLsRefused},
		{"missing branch is not Ready and names the branch, until it is pushed", testMissingBranch},
		{"bearer token from the Secret", testBearerToken},
		{"https needs the CA from the Secret", testHTTPSNeedsCA},
		{"ssh with identity and known_hosts from the Secret", testSSH},
		{"commit signatures are verified with the keys of a Secret", testCommitSignaturesVerified},
		{"include copies another GitRepository's artifact and follows it", testIncludeFollowsIncludedArtifact},
		{"through the proxy of proxySecretRef", testProxy},
		{"new commit is picked up on the interval", testNewCommitOnInterval},
		{"suspended is left alone until resumed", testSuspendedUntilResumed},
		{"deleting removes its artifacts", testDeleteRemovesArtifacts},
	} {
		t.Run(feature.name, func(t *testing.T) {
			t.Parallel()
			feature.test(t, server, password, token)
		})
	}
}

func applyGitRepository(t testing.TB, ns, name, url, branch, secret, interval string) {
	t.Helper()
	kubectlWithInput(t, gitRepositoryOnBranch(name, url, branch, secret, interval), "apply", "-n", ns, "-f", "-")
}

// gitRepositoryOnBranch is the YAML of a GitRepository that follows branch
// with the credentials of Secret secret.
func gitRepositoryOnBranch(name, url, branch, secret, interval string) string {
	return fmt.Sprintf(`apiVersion: gitops.io/v1alpha1
kind: GitRepository
metadata:
  name: %s
spec:
  url: %s
  interval: %s
  ref:
    branch: %s
  secretRef:
    name: %s
`, name, url, interval, branch, secret)
}

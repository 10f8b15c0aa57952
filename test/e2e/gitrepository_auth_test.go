package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh/knownhosts"
)

// GitRepository credentials and transports: bearer token, CA, ssh and
// proxy. TestGitRepositoryReconciler runs them.

func testBearerToken(t *testing.T, server *gitServer, password, token string) {
	ns := newNamespace(t)
	repo := server.newRepo(t, "token", map[string]string{"app.yaml": "kind: ConfigMap\n"})
	kubectl(t, "create", "secret", "generic", "git-token", "-n", ns, "--from-literal=bearerToken="+token)
	applyGitRepository(t, ns, "token", repo.url, "main", "git-token", "10m")
	kubectlWait(t, time.Minute, "--for=condition=Ready", "gitrepository/token", "-n", ns)
}

func testHTTPSNeedsCA(t *testing.T, server *gitServer, password, token string) {
	ns := newNamespace(t)
	tlsServer := startTLSGitServer(t, "e2e", password)
	repo := tlsServer.newRepo(t, "tls", map[string]string{"app.yaml": "kind: ConfigMap\n"})
	createBasicAuthSecret(t, ns, "git-auth", "e2e", password)
	applyGitRepository(t, ns, "tls", repo.url, "main", "git-auth", "1m")
	kubectlWait(t, time.Minute, "--for=condition=Ready=False", "gitrepository/tls", "-n", ns)
	if _, message := readyCondition(t, ns, "tls"); !strings.Contains(message, "certificate") {
		t.Errorf("Ready message %q does not name the certificate", message)
	}

	manifest := kubectl(t, "create", "secret", "generic", "git-auth", "-n", ns, "--dry-run=client", "-o", "yaml",
		"--from-literal=username=e2e", "--from-literal=password="+password, "--from-literal=ca.crt="+tlsServer.caPEM)
	kubectlWithInput(t, manifest, "apply", "-f", "-")
	kubectlWait(t, 2*time.Minute, "--for=condition=Ready", "gitrepository/tls", "-n", ns)
}

func testSSH(t *testing.T, server *gitServer, password, token string) {
	ns := newNamespace(t)
	sshServer := startSSHGitServer(t, server)
	repo := server.newRepo(t, "ssh", map[string]string{"app.yaml": "kind: ConfigMap\n"})
	sha := strings.TrimSpace(repo.git("rev-parse", "HEAD"))
	kubectl(t, "create", "secret", "generic", "git-ssh", "-n", ns,
		"--from-literal=identity="+sshServer.identityPEM, "--from-literal=known_hosts="+sshServer.knownHosts)
	applyGitRepository(t, ns, "ssh", sshServer.url+"/ssh.git", "main", "git-ssh", "10m")
	kubectlWait(t, time.Minute, "--for=condition=Ready", "gitrepository/ssh", "-n", ns)
	if rev := artifactStatus(t, ns, "ssh").revision; rev != "main@sha1:"+sha {
		t.Errorf("revision %q, want main@sha1:%s", rev, sha)
	}
	assertLogHasNo(t, strings.Split(strings.TrimSpace(sshServer.identityPEM), "\n")[1])

	// A key the server does not know is refused: AuthenticationFailed.
	_, strangerPEM := newSSHKey(t)
	kubectl(t, "create", "secret", "generic", "git-ssh-stranger", "-n", ns,
		"--from-literal=identity="+strangerPEM, "--from-literal=known_hosts="+sshServer.knownHosts)
	applyGitRepository(t, ns, "ssh-stranger", sshServer.url+"/ssh.git", "main", "git-ssh-stranger", "10m")
	kubectlWait(t, time.Minute, "--for=condition=Ready=False", "gitrepository/ssh-stranger", "-n", ns)
	if reason, message := readyCondition(t, ns, "ssh-stranger"); reason != "AuthenticationFailed" {
		t.Errorf("Ready reason %q message %q for an unknown ssh key; want AuthenticationFailed", reason, message)
	}

	// A host whose key differs from known_hosts is not talked to.
	impostor, _ := newSSHKey(t)
	kubectl(t, "create", "secret", "generic", "git-ssh-other-host", "-n", ns,
		"--from-literal=identity="+sshServer.identityPEM,
		"--from-literal=known_hosts="+knownhosts.Line([]string{knownhosts.Normalize(sshServer.addr)}, impostor.PublicKey()))
	applyGitRepository(t, ns, "ssh-other-host", sshServer.url+"/ssh.git", "main", "git-ssh-other-host", "10m")
	kubectlWait(t, time.Minute, "--for=condition=Ready=False", "gitrepository/ssh-other-host", "-n", ns)
	if _, message := readyCondition(t, ns, "ssh-other-host"); !strings.Contains(message, "key mismatch") {
		t.Errorf("Ready message %q does not name the host key mismatch", message)
	}
}

func testProxy(t *testing.T, server *gitServer, password, token string) {
	ns := newNamespace(t)
	proxyPassword := "proxy-" + randomHex(t)
	proxy := startForwardProxy(t, "proxy-user", proxyPassword)
	repo := server.newRepo(t, "proxied", map[string]string{"app.yaml": "kind: ConfigMap\n"})
	createBasicAuthSecret(t, ns, "git-auth", "e2e", password)
	kubectl(t, "create", "secret", "generic", "proxy", "-n", ns, "--from-literal=address="+proxy.url,
		"--from-literal=username=proxy-user", "--from-literal=password="+proxyPassword)
	kubectlWithInput(t, fmt.Sprintf(`apiVersion: gitops.io/v1alpha1
kind: GitRepository
metadata:
  name: proxied
spec:
  url: %s
  interval: 10m
  ref:
    branch: main
  secretRef:
    name: git-auth
  proxySecretRef:
    name: proxy
`, repo.url), "apply", "-n", ns, "-f", "-")
	kubectlWait(t, time.Minute, "--for=condition=Ready", "gitrepository/proxied", "-n", ns)
	if n := proxy.forwarded.Load(); n == 0 {
		t.Error("the GitRepository is Ready but nothing went through its proxy")
	}
	assertLogHasNo(t, proxyPassword)
}

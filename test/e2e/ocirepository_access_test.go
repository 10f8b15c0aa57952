package e2e

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"gitops.io/apiserver/test/ociregistry"
)

// How OCIRepositories reach their registry (TLS, proxy, a ServiceAccount's
// pull secrets), and a Kustomization using one. TestOCIRepositoryReconciler
// runs them.

func testOCIHTTPSWithCA(t *testing.T, _ *ociregistry.Registry, _ string) {
	ns := newNamespace(t)
	reg := ociregistry.Start(t, ociregistry.Options{TLS: true})
	digest := pushOCIFiles(t, reg, "tls/app", "latest", map[string]string{"app.yaml": "kind: ConfigMap\n"})
	caFile := filepath.Join(t.TempDir(), "ca.crt")
	if err := os.WriteFile(caFile, reg.CAPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	kubectl(t, "create", "secret", "generic", "registry-ca", "-n", ns, "--from-file=ca.crt="+caFile)
	applyOCIRepository(t, ns, "tls", reg.URL("tls/app"), "10m", "tag: latest", "certSecretRef:\n    name: registry-ca")
	kubectlWait(t, time.Minute, "--for=jsonpath={.status.artifact.revision}=latest@"+digest, "ocirepository/tls", "-n", ns)
}

func testOCIProxy(t *testing.T, reg *ociregistry.Registry, password string) {
	ns := newNamespace(t)
	proxyPassword := "proxy-" + randomHex(t)
	proxy := startForwardProxy(t, "proxy-user", proxyPassword)
	digest := pushOCIFiles(t, reg, "proxied/app", "latest", map[string]string{"app.yaml": "kind: ConfigMap\n"})
	createDockerConfigSecret(t, ns, "registry-auth", reg.Host, "e2e", password)
	kubectl(t, "create", "secret", "generic", "proxy", "-n", ns, "--from-literal=address="+proxy.url,
		"--from-literal=username=proxy-user", "--from-literal=password="+proxyPassword)
	applyOCIRepository(t, ns, "proxied", reg.URL("proxied/app"), "10m", "tag: latest",
		"insecure: true\n  secretRef:\n    name: registry-auth\n  proxySecretRef:\n    name: proxy")
	kubectlWait(t, time.Minute, "--for=jsonpath={.status.artifact.revision}=latest@"+digest, "ocirepository/proxied", "-n", ns)
	if n := proxy.forwarded.Load(); n == 0 {
		t.Error("the OCIRepository has its artifact but nothing went through its proxy")
	}
	assertLogHasNo(t, proxyPassword)
}

func testOCIServiceAccountPullSecrets(t *testing.T, reg *ociregistry.Registry, password string) {
	ns := newNamespace(t)
	digest := pushOCIFiles(t, reg, "pull-secrets/app", "latest", map[string]string{"app.yaml": "kind: ConfigMap\n"})
	createDockerConfigSecret(t, ns, "registry-auth", reg.Host, "e2e", password)
	kubectl(t, "create", "serviceaccount", "puller", "-n", ns)
	kubectl(t, "patch", "serviceaccount", "puller", "-n", ns, "-p", `{"imagePullSecrets":[{"name":"registry-auth"}]}`)
	applyOCIRepository(t, ns, "pulled", reg.URL("pull-secrets/app"), "10m", "tag: latest",
		"insecure: true\n  serviceAccountName: puller")
	kubectlWait(t, time.Minute, "--for=jsonpath={.status.artifact.revision}=latest@"+digest, "ocirepository/pulled", "-n", ns)
}

func testOCIKustomization(t *testing.T, reg *ociregistry.Registry, password string) {
	ns := newNamespace(t)
	digest := pushOCIFiles(t, reg, "deployed/app", "1.0.0", map[string]string{
		"deploy/greeting.yaml": configMap("greeting", ns, "hello from OCI"),
	})
	createDockerConfigSecret(t, ns, "registry-auth", reg.Host, "e2e", password)
	applyOCIRepository(t, ns, "app", reg.URL("deployed/app"), "10m", "semver: 1.x", "insecure: true\n  secretRef:\n    name: registry-auth")
	kubectlWithInput(t, `apiVersion: gitops.io/v1alpha1
kind: Kustomization
metadata:
  name: app
spec:
  interval: 10m
  path: ./deploy
  prune: true
  sourceRef:
    kind: OCIRepository
    name: app
`, "apply", "-n", ns, "-f", "-")
	kubectlWait(t, 2*time.Minute, "--for=jsonpath={.status.lastAppliedRevision}=1.0.0@"+digest, "kustomization/app", "-n", ns)
	if got := kubectl(t, "get", "configmap", "greeting", "-n", ns, "-o", "jsonpath={.data.value}"); got != "hello from OCI" {
		t.Errorf("the ConfigMap applied from the OCI artifact holds %q", got)
	}
}

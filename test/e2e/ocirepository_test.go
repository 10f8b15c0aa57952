package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gitops.io/apiserver/test/ociregistry"
)

// The OCIRepository reconciler against go-containerregistry's OCI
// distribution registry on loopback, behind basic auth.
func TestOCIRepositoryReconciler(t *testing.T) {
	useReconcilers(t)
	password := "pw-" + randomHex(t)
	reg := ociregistry.Start(t, ociregistry.Options{User: "e2e", Password: password})
	showServerLogOnFailure(t, password)
	for _, feature := range []struct {
		name string
		test func(t *testing.T, reg *ociregistry.Registry, password string)
	}{
		{"becomes Ready with revision and digest, and follows a new semver tag on request", testOCIReadyAndNewTagOnRequest},
		{"wrong password is AuthenticationFailed until the Secret is fixed", testOCIWrongPasswordUntilSecretIsFixed},
		{"missing tag is not Ready and names the tag, until it is pushed", testOCIMissingTag},
		{"unreachable registry is not Ready and says so, until it is up", testOCIUnreachableRegistry},
		{"new tag is picked up on the interval", testOCINewTagOnInterval},
		{"https registry with the CA of certSecretRef", testOCIHTTPSWithCA},
		{"through the proxy of proxySecretRef", testOCIProxy},
		{"with the image pull secrets of serviceAccountName", testOCIServiceAccountPullSecrets},
		{"cloud provider is Stalled as not supported", testOCIProviderNotSupported},
		{"a Kustomization applies its artifact", testOCIKustomization},
		{"cosign signatures are verified with the keys of a Secret", testOCICosignVerification},
		{"deleting removes its artifacts", testOCIDeleteRemovesArtifacts},
	} {
		t.Run(feature.name, func(t *testing.T) {
			t.Parallel()
			feature.test(t, reg, password)
		})
	}
}

func testOCIReadyAndNewTagOnRequest(t *testing.T, reg *ociregistry.Registry, password string) {
	ns := newNamespace(t)
	first := pushOCIFiles(t, reg, "ready/app", "1.0.0", map[string]string{"deploy/app.yaml": "kind: ConfigMap\n"})
	createDockerConfigSecret(t, ns, "registry-auth", reg.Host, "e2e", password)
	applyOCIRepository(t, ns, "app", reg.URL("ready/app"), "10m", "semver: '>=1.0.0'", "insecure: true\n  secretRef:\n    name: registry-auth")

	kubectlWait(t, time.Minute, "--for=condition=Ready", "ocirepository/app", "-n", ns)
	artifact := artifactStatusOf(t, ns, "ocirepository/app")
	if artifact.revision != "1.0.0@"+first {
		t.Errorf("revision %q, want 1.0.0@%s", artifact.revision, first)
	}
	data := artifactBytes(t, artifact, "")
	if got := digestOf(data); got != artifact.digest {
		t.Errorf("the served artifact has digest %s, status.artifact.digest is %s", got, artifact.digest)
	}
	if files := tarFiles(t, data); strings.Join(files, ",") != "deploy/,deploy/app.yaml" {
		t.Errorf("artifact holds %v; want deploy/app.yaml", files)
	}
	if url := kubectl(t, "get", "ocirepository", "app", "-n", ns, "-o", "jsonpath={.status.url}"); url != artifact.url {
		t.Errorf("status.url %q, want the artifact's %q", url, artifact.url)
	}
	waitForEventOf(t, ns, "OCIRepository", "app", "NewArtifact", "stored artifact for revision '"+artifact.revision+"'")

	second := pushOCIFiles(t, reg, "ready/app", "1.1.0", map[string]string{"deploy/app.yaml": "kind: ConfigMap\n# second\n"})
	request := time.Now().Format(time.RFC3339Nano)
	kubectl(t, "annotate", "ocirepository", "app", "-n", ns, "--overwrite", "reconcile.fluxcd.io/requestedAt="+request)
	// The interval is 10m: only the request makes this happen in time.
	kubectlWait(t, 30*time.Second, "--for=jsonpath={.status.artifact.revision}=1.1.0@"+second, "ocirepository/app", "-n", ns)
	if handled := kubectl(t, "get", "ocirepository", "app", "-n", ns, "-o", "jsonpath={.status.lastHandledReconcileAt}"); handled != request {
		t.Errorf("lastHandledReconcileAt %q, want the request's %q", handled, request)
	}
	newer := artifactStatusOf(t, ns, "ocirepository/app")
	if newer.digest == artifact.digest || digestOf(artifactBytes(t, newer, "")) != newer.digest {
		t.Errorf("after a new tag: digest %s (was %s), not matching the served bytes", newer.digest, artifact.digest)
	}

	t.Run("artifact is served to a viewer and refused to a user without a role", func(t *testing.T) {
		bindRole(t, ns, "e2e-oci-viewer", "gitops-view", "get")
		if got := digestOf(artifactBytes(t, newer, "e2e-oci-viewer")); got != newer.digest {
			t.Errorf("the viewer got an artifact with digest %s, want %s", got, newer.digest)
		}
		out, err := kubectlRaw(t, newer.url, "e2e-nobody")
		if err == nil || !strings.Contains(err.Error(), "Forbidden") {
			t.Errorf("a user without a role fetched the artifact (%d bytes): %v", len(out), err)
		}
	})
}

func testOCINewTagOnInterval(t *testing.T, reg *ociregistry.Registry, password string) {
	ns := newNamespace(t)
	pushOCIFiles(t, reg, "interval/app", "1.0.0", map[string]string{"app.yaml": "kind: ConfigMap\n"})
	createDockerConfigSecret(t, ns, "registry-auth", reg.Host, "e2e", password)
	applyOCIRepository(t, ns, "interval", reg.URL("interval/app"), "3s", "semver: '>=1.0.0'", "insecure: true\n  secretRef:\n    name: registry-auth")
	kubectlWait(t, time.Minute, "--for=condition=Ready", "ocirepository/interval", "-n", ns)
	second := pushOCIFiles(t, reg, "interval/app", "1.1.0", map[string]string{"app.yaml": "kind: ConfigMap\n# second\n"})
	kubectlWait(t, 30*time.Second, "--for=jsonpath={.status.artifact.revision}=1.1.0@"+second, "ocirepository/interval", "-n", ns)
}

func testOCIDeleteRemovesArtifacts(t *testing.T, reg *ociregistry.Registry, password string) {
	ns := newNamespace(t)
	digest := pushOCIFiles(t, reg, "deleted/app", "latest", map[string]string{"app.yaml": "kind: ConfigMap\n"})
	createDockerConfigSecret(t, ns, "registry-auth", reg.Host, "e2e", password)
	applyOCIRepository(t, ns, "deleted", reg.URL("deleted/app"), "10m", "tag: latest", "insecure: true\n  secretRef:\n    name: registry-auth")
	kubectlWait(t, time.Minute, "--for=jsonpath={.status.artifact.revision}=latest@"+digest, "ocirepository/deleted", "-n", ns)
	path := kubectl(t, "get", "ocirepository", "deleted", "-n", ns, "-o", "jsonpath={.status.artifact.path}")
	// The server keeps artifacts next to its storage repository.
	dir := filepath.Dir(filepath.Join(filepath.Dir(env.storage), "artifacts", filepath.FromSlash(path)))
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("the artifacts of an OCIRepository with an artifact: %v", err)
	}
	kubectl(t, "delete", "ocirepository", "deleted", "-n", ns)
	err := eventually(10*time.Second, func() error {
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			return fmt.Errorf("%s still exists (%v)", dir, err)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

// pushOCIFiles pushes a Flux artifact of files and returns its manifest digest.
func pushOCIFiles(t *testing.T, reg *ociregistry.Registry, repository, tag string, files map[string]string) string {
	t.Helper()
	return reg.Push(t, repository, tag, ociregistry.Artifact(t, nil, ociregistry.FilesLayer(t, files))).String()
}

// applyOCIRepository applies an OCIRepository of url checked every
// interval, with ref (YAML under spec.ref) and more spec fields (YAML at
// spec's indentation).
func applyOCIRepository(t *testing.T, ns, name, url, interval, ref, spec string) {
	t.Helper()
	kubectlWithInput(t, fmt.Sprintf(`apiVersion: gitops.io/v1alpha1
kind: OCIRepository
metadata:
  name: %s
spec:
  url: %s
  interval: %s
  ref:
    %s
  %s
`, name, url, interval, ref, spec), "apply", "-n", ns, "-f", "-")
}

// createDockerConfigSecret creates or replaces a kubernetes.io/dockerconfigjson
// Secret with credentials for server, as Flux's docs make them.
func createDockerConfigSecret(t testing.TB, ns, name, server, user, password string) {
	t.Helper()
	manifest := kubectl(t, "create", "secret", "docker-registry", name, "-n", ns, "--dry-run=client", "-o", "yaml",
		"--docker-server="+server, "--docker-username="+user, "--docker-password="+password)
	kubectlWithInput(t, manifest, "apply", "-f", "-")
}

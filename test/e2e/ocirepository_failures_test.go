package e2e

import (
	"strings"
	"testing"
	"time"

	"gitops.io/apiserver/test/loopback"
	"gitops.io/apiserver/test/ociregistry"
)

// OCIRepository failures: each makes Ready=False with the cause, and some
// heal once fixed. TestOCIRepositoryReconciler runs them.

func testOCIWrongPasswordUntilSecretIsFixed(t *testing.T, reg *ociregistry.Registry, password string) {
	ns := newNamespace(t)
	pushOCIFiles(t, reg, "auth/app", "latest", map[string]string{"app.yaml": "kind: ConfigMap\n"})
	wrong := "wrong-" + randomHex(t)
	createDockerConfigSecret(t, ns, "registry-auth", reg.Host, "e2e", wrong)
	applyOCIRepository(t, ns, "auth", reg.URL("auth/app"), "1m", "tag: latest", "insecure: true\n  secretRef:\n    name: registry-auth")

	kubectlWait(t, time.Minute, "--for=condition=Ready=False", "ocirepository/auth", "-n", ns)
	reason, message := readyConditionOf(t, ns, "ocirepository/auth")
	if reason != "AuthenticationFailed" || !strings.Contains(message, "UNAUTHORIZED") {
		t.Errorf("Ready reason %q message %q; want AuthenticationFailed saying UNAUTHORIZED", reason, message)
	}
	if strings.Contains(message, wrong) {
		t.Errorf("the Ready message shows the password: %s", message)
	}
	waitForEventOf(t, ns, "OCIRepository", "auth", "AuthenticationFailed", "UNAUTHORIZED")
	if events := kubectl(t, "get", "events", "-n", ns, "-o", "yaml"); strings.Contains(events, wrong) {
		t.Errorf("an Event shows the password")
	}

	createDockerConfigSecret(t, ns, "registry-auth", reg.Host, "e2e", password)
	// No request: the retries (backoff, at most the 1m interval) find the fix.
	kubectlWait(t, 2*time.Minute, "--for=condition=Ready", "ocirepository/auth", "-n", ns)
	assertLogHasNo(t, wrong)
}

func testOCIMissingTag(t *testing.T, reg *ociregistry.Registry, password string) {
	ns := newNamespace(t)
	pushOCIFiles(t, reg, "missing/app", "v1", map[string]string{"app.yaml": "kind: ConfigMap\n"})
	createDockerConfigSecret(t, ns, "registry-auth", reg.Host, "e2e", password)
	applyOCIRepository(t, ns, "missing", reg.URL("missing/app"), "1m", "tag: v9", "insecure: true\n  secretRef:\n    name: registry-auth")

	kubectlWait(t, time.Minute, "--for=condition=Ready=False", "ocirepository/missing", "-n", ns)
	reason, message := readyConditionOf(t, ns, "ocirepository/missing")
	if reason != "OCIArtifactPullFailed" || !strings.Contains(message, "v9") || !strings.Contains(message, "MANIFEST_UNKNOWN") {
		t.Errorf("Ready reason %q message %q; want OCIArtifactPullFailed naming tag v9 as unknown", reason, message)
	}
	if got := kubectl(t, "get", "ocirepository", "missing", "-n", ns, "-o", `jsonpath={.status.conditions[?(@.type=="FetchFailed")].status}`); got != "True" {
		t.Errorf("FetchFailed is %q, want True", got)
	}

	pushed := pushOCIFiles(t, reg, "missing/app", "v9", map[string]string{"app.yaml": "kind: ConfigMap\n# v9\n"})
	// No request: the retries (backoff, at most the 1m interval) find it.
	kubectlWait(t, 2*time.Minute, "--for=jsonpath={.status.artifact.revision}=v9@"+pushed, "ocirepository/missing", "-n", ns)
	kubectlWait(t, time.Minute, "--for=condition=Ready", "ocirepository/missing", "-n", ns)
}

func testOCIUnreachableRegistry(t *testing.T, _ *ociregistry.Registry, password string) {
	ns := newNamespace(t)
	addr := loopback.FreeAddr(t) // nothing listens there yet
	createDockerConfigSecret(t, ns, "registry-auth", addr, "e2e", password)
	applyOCIRepository(t, ns, "unreachable", "oci://"+addr+"/app", "1m", "tag: latest", "insecure: true\n  secretRef:\n    name: registry-auth")

	kubectlWait(t, time.Minute, "--for=condition=Ready=False", "ocirepository/unreachable", "-n", ns)
	reason, message := readyConditionOf(t, ns, "ocirepository/unreachable")
	if reason != "OCIArtifactPullFailed" || !strings.Contains(message, "connection refused") {
		t.Errorf("Ready reason %q message %q; want OCIArtifactPullFailed saying the connection was refused", reason, message)
	}

	reg := ociregistry.Start(t, ociregistry.Options{User: "e2e", Password: password, Addr: addr})
	pushed := pushOCIFiles(t, reg, "app", "latest", map[string]string{"app.yaml": "kind: ConfigMap\n"})
	// No request: the retries (backoff, at most the 1m interval) reach it.
	kubectlWait(t, 2*time.Minute, "--for=jsonpath={.status.artifact.revision}=latest@"+pushed, "ocirepository/unreachable", "-n", ns)
	kubectlWait(t, time.Minute, "--for=condition=Ready", "ocirepository/unreachable", "-n", ns)
}

func testOCIProviderNotSupported(t *testing.T, reg *ociregistry.Registry, _ string) {
	ns := newNamespace(t)
	applyOCIRepository(t, ns, "aws", reg.URL("aws/app"), "10m", "tag: latest", "provider: aws")
	kubectlWait(t, time.Minute, "--for=condition=Stalled", "ocirepository/aws", "-n", ns)
	reason, message := readyConditionOf(t, ns, "ocirepository/aws")
	if reason != "NotSupported" || !strings.Contains(message, "spec.provider aws") {
		t.Errorf("Ready reason %q message %q; want NotSupported naming spec.provider", reason, message)
	}
}

package e2e

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A change to a Secret or ConfigMap reconciles the objects that name it at
// once: no touch of the object, no waiting for its interval or backoff.
func TestChangedReferenceWakesReferrers(t *testing.T) {
	server, password := startReconcilersWithGitServer(t)
	for _, feature := range []struct {
		name string
		test func(t *testing.T, server *gitServer, password string)
	}{
		{"a GitRepository follows its credentials Secret, failing and recovering", testGitRepositoryFollowsItsSecret},
		{"a Kustomization follows its kubeConfig Secret", testKustomizationFollowsKubeConfigSecret},
		{"a Kustomization applies a changed substituteFrom ConfigMap", testKustomizationFollowsSubstituteFrom},
		{"a HelmChart follows the Secret of its OCI HelmRepository", testHelmChartFollowsItsRepositorySecret},
	} {
		t.Run(feature.name, func(t *testing.T) {
			t.Parallel()
			feature.test(t, server, password)
		})
	}
}

func testGitRepositoryFollowsItsSecret(t *testing.T, server *gitServer, password string) {
	ns := newNamespace(t)
	repo := server.newRepo(t, "followed", map[string]string{"app.yaml": "kind: ConfigMap\n"})
	createBasicAuthSecret(t, ns, "git-auth", "e2e", password)
	applyGitRepository(t, ns, "followed", repo.url, "main", "git-auth", "1h")
	kubectlWait(t, time.Minute, "--for=condition=Ready", "gitrepository/followed", "-n", ns)

	// Ready with an interval of an hour: only the Secret's change can make
	// it look again.
	createBasicAuthSecret(t, ns, "git-auth", "e2e", "wrong-"+randomHex(t))
	kubectlWait(t, 30*time.Second, "--for=condition=Ready=False", "gitrepository/followed", "-n", ns)
	if reason, message := readyCondition(t, ns, "followed"); reason != "AuthenticationFailed" {
		t.Fatalf("Ready reason %q (%s) after the password changed; want AuthenticationFailed", reason, message)
	}

	// Let the retries back off past half a minute (attempts after 0, 1, 3,
	// 7, 15 and 31 s; the next would come at 63 s), then fix the Secret:
	// the fix is taken at once, not at the next retry.
	waitForEventCount(t, ns, "GitRepository", "followed", "AuthenticationFailed", 6)
	createBasicAuthSecret(t, ns, "git-auth", "e2e", password)
	kubectlWait(t, 20*time.Second, "--for=condition=Ready", "gitrepository/followed", "-n", ns)
}

func testHelmChartFollowsItsRepositorySecret(t *testing.T, _ *gitServer, password string) {
	ns := newNamespace(t)
	host := startOCIRegistry(t, "e2e", password)
	pushChart(t, host, password, "podinfo", "1.0.0")
	createBasicAuthSecret(t, ns, "oci-auth", "e2e", "wrong-"+randomHex(t))
	applyOCIHelmRepository(t, ns, "oci", host, "oci-auth")
	applyHelmChart(t, ns, "podinfo", "podinfo", "HelmRepository", "oci", "1h", "  version: 1.x\n")

	// The chart names no Secret itself, and an OCI HelmRepository has no
	// artifact whose change would wake it: only the repository's Secret
	// can. Let its retries back off past half a minute, as above.
	waitForEventCount(t, ns, "HelmChart", "podinfo", "AuthenticationFailed", 6)
	createBasicAuthSecret(t, ns, "oci-auth", "e2e", password)
	kubectlWait(t, 20*time.Second, "--for=jsonpath={.status.artifact.revision}=1.0.0", "helmchart/podinfo", "-n", ns)
}

func testKustomizationFollowsKubeConfigSecret(t *testing.T, server *gitServer, password string) {
	a := newKustomizeApp(t, server, password)
	revision := a.push(t, map[string]string{"remote/config.yaml": configMap("remote", a.ns, "via kubeconfig")})
	kubectl(t, "create", "secret", "generic", "cluster", "-n", a.ns, "--from-file=value="+env.cp.KubeconfigPath)
	a.applyKustomization(t, "remote", "./remote", "  kubeConfig:\n    secretRef:\n      name: cluster\n")
	a.waitForReady(t, "remote", revision)

	// Ready with an interval of ten minutes: only the Secret's change can
	// make it look again.
	kubectlWithInput(t, secretManifest(t, a.ns, "cluster", "value", "not a kubeconfig"), "apply", "-f", "-")
	a.waitForNotReady(t, "remote", "ReconciliationFailed", "Secret 'cluster' key 'value' is not a kubeconfig")
	if stalled := kubectl(t, "get", "kustomization/remote", "-n", a.ns, "-o",
		`jsonpath={.status.conditions[?(@.type=="Stalled")].status}`); stalled == "True" {
		t.Error("a kubeconfig Secret that does not parse stalls the Kustomization; it must be retried")
	}

	kubeconfig, err := os.ReadFile(env.cp.KubeconfigPath)
	if err != nil {
		t.Fatal(err)
	}
	kubectlWithInput(t, secretManifest(t, a.ns, "cluster", "value", string(kubeconfig)), "apply", "-f", "-")
	kubectlWait(t, 20*time.Second, "--for=condition=Ready", "kustomization/remote", "-n", a.ns)
}

func testKustomizationFollowsSubstituteFrom(t *testing.T, server *gitServer, password string) {
	a := newKustomizeApp(t, server, password)
	revision := a.push(t, map[string]string{"vars/config.yaml": configMap("greeting", a.ns, "${greeting}")})
	kubectl(t, "create", "configmap", "vars", "-n", a.ns, "--from-literal=greeting=hello")
	a.applyKustomization(t, "vars", "./vars", "  postBuild:\n    substituteFrom:\n      - kind: ConfigMap\n        name: vars\n")
	a.waitForReady(t, "vars", revision)
	if got := kubectl(t, "get", "configmap/greeting", "-n", a.ns, "-o", "jsonpath={.data.value}"); got != "hello" {
		t.Fatalf("substituted value %q, want hello", got)
	}

	// Nothing but the ConfigMap changes; the interval is ten minutes.
	changed := kubectl(t, "create", "configmap", "vars", "-n", a.ns, "--from-literal=greeting=bonjour", "--dry-run=client", "-o", "yaml")
	kubectlWithInput(t, changed, "apply", "-f", "-")
	kubectlWait(t, 20*time.Second, "--for=jsonpath={.data.value}=bonjour", "configmap/greeting", "-n", a.ns)
}

// secretManifest is the YAML of a Secret with one key.
func secretManifest(t *testing.T, ns, name, key, value string) string {
	t.Helper()
	return kubectl(t, "create", "secret", "generic", name, "-n", ns, "--dry-run=client", "-o", "yaml",
		"--from-literal="+key+"="+value)
}

// waitForEventCount waits until the Event about the object with reason has
// been recorded at least count times (the recorder counts repeats of one
// Event instead of making new ones).
func waitForEventCount(t *testing.T, ns, kind, name, reason string, count int) {
	t.Helper()
	selector := fmt.Sprintf("involvedObject.kind=%s,involvedObject.name=%s,reason=%s", kind, name, reason)
	err := eventually(2*time.Minute, func() error {
		out := kubectl(t, "get", "events", "-n", ns, "--field-selector", selector, "-o", "jsonpath={.items[*].count}")
		total := 0
		for _, field := range strings.Fields(out) {
			n, _ := strconv.Atoi(field)
			total += n
		}
		if total < count {
			return fmt.Errorf("%s %s/%s has %d %s Events, want %d", kind, ns, name, total, reason, count)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

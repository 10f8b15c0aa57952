package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"
)

func testLongReleaseNameIsShortened(t *testing.T, ns string) {
	name := "release-whose-name-with-its-target-namespace-is-long"
	applyHelmRelease(t, ns, name, "  targetNamespace: "+ns+"\n")
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmrelease/"+name, "-n", ns)

	// Flux's rule: over Helm's 53 characters, the first 40, a dash and 12
	// hex digits of the SHA-256 of the whole name.
	full := ns + "-" + name
	sum := sha256.Sum256([]byte(full))
	short := full[:40] + "-" + hex.EncodeToString(sum[:])[:12]
	if got := kubectl(t, "get", "helmrelease", name, "-n", ns, "-o", "jsonpath={.status.history[0].name}"); got != short {
		t.Errorf("release name %q, want %q", got, short)
	}
	kubectl(t, "get", "secret", "sh.helm.release.v1."+short+".v1", "-n", ns)
	kubectl(t, "get", "deployment", short, "-n", ns)
}

func testSuspendedReleaseWaitsUntilResumed(t *testing.T, ns string) {
	applyHelmRelease(t, ns, "paused", "  suspend: true\n")
	// A release applied after it goes all the way to Ready: the reconcilers
	// had their chance at the suspended one.
	applyHelmRelease(t, ns, "witness", "")
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmrelease/witness", "-n", ns)
	if exists(t, ns, "secret/sh.helm.release.v1.paused.v1") {
		t.Fatal("a suspended HelmRelease was installed")
	}
	if got := kubectl(t, "get", "helmrelease", "paused", "-n", ns, "-o", "jsonpath={.status.conditions}"); got != "" {
		t.Errorf("a suspended HelmRelease has conditions %s", got)
	}

	kubectl(t, "patch", "helmrelease", "paused", "-n", ns, "--type=merge", "-p", `{"spec":{"suspend":false}}`)
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmrelease/paused", "-n", ns)
	kubectl(t, "get", "secret", "sh.helm.release.v1.paused.v1", "-n", ns)
}

func testServiceAccountWithoutRightsIsForbidden(t *testing.T, ns string) {
	kubectl(t, "create", "serviceaccount", "tenant", "-n", ns)
	applyHelmRelease(t, ns, "web", "  serviceAccountName: tenant\n")
	user := "system:serviceaccount:" + ns + ":tenant"
	var message string
	if err := eventually(2*time.Minute, func() error {
		var reason string
		if reason, message = readyConditionOf(t, ns, "helmrelease/web"); !strings.Contains(message, "forbidden") ||
			!strings.Contains(message, `User "`+user+`"`) {
			return fmt.Errorf("Ready %s %q does not say the ServiceAccount is forbidden", reason, message)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if exists(t, ns, "deployment/web") {
		t.Fatal("a ServiceAccount without rights installed a Deployment")
	}
	t.Logf("Ready message of the ServiceAccount without rights: %s", message)

	kubectl(t, "create", "rolebinding", "tenant-edit", "-n", ns, "--clusterrole=edit", "--serviceaccount="+ns+":tenant")
	kubectl(t, "annotate", "helmrelease", "web", "-n", ns, "--overwrite", "reconcile.fluxcd.io/requestedAt=granted")
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmrelease/web", "-n", ns)
	kubectlWait(t, time.Minute, "--for=condition=Available", "deployment/web", "-n", ns)
}

func testReleaseInstalledThroughAKubeConfigSecret(t *testing.T, ns string) {
	applyHelmRelease(t, ns, "remote", "  kubeConfig:\n    secretRef:\n      name: cluster\n")
	if err := eventually(2*time.Minute, func() error {
		if _, message := readyConditionOf(t, ns, "helmrelease/remote"); !strings.Contains(message, "Secret 'cluster' not found") {
			return fmt.Errorf("Ready message %q does not name the missing kubeconfig Secret", message)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	kubectl(t, "create", "secret", "generic", "cluster", "-n", ns, "--from-file=value="+env.cp.KubeconfigPath)
	kubectl(t, "annotate", "helmrelease", "remote", "-n", ns, "--overwrite", "reconcile.fluxcd.io/requestedAt=with-secret")
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmrelease/remote", "-n", ns)
	kubectl(t, "get", "secret", "sh.helm.release.v1.remote.v1", "-n", ns)
	kubectlWait(t, time.Minute, "--for=condition=Available", "deployment/remote", "-n", ns)
}

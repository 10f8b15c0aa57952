package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"gitops.io/apiserver/pkg/reconcile/source/helmrepository/helmrepotest"
)

// gitops-apiserver stopped in the middle of an upgrade leaves no release
// locked pending-upgrade: the interrupted revision is failed once the server
// is back, and the next change upgrades. It restarts the shared server, so
// it is a test of its own, run while no other test uses the server.
func TestHelmReleaseUpgradeInterruptedByARestart(t *testing.T) {
	useReconcilers(t)
	password := "pw-" + randomHex(t)
	charts := helmrepotest.New(t, "e2e", password, false)
	charts.PublishChart(t, workloadChart("app", "1.0.0"))
	showServerLogOnFailure(t)
	ns := newNamespace(t)
	createBasicAuthSecret(t, ns, "helm-auth", "e2e", password)
	applyHelmRepository(t, ns, "charts", charts.URL, "helm-auth", "", "10m")
	applyHelmRelease(t, ns, "web", "")
	kubectlWait(t, 3*time.Minute, "--for=condition=Ready", "helmrelease/web", "-n", ns)

	// Pods that never become Ready keep the upgrade waiting, for its
	// timeout, while the server is stopped under it.
	kubectl(t, "patch", "helmrelease", "web", "-n", ns, "--type=merge", "-p", `{"spec":{"timeout":"30s","values":{"pod":"unready"}}}`)
	waitForRevisionStatus(t, ns, "web", 2, "pending-upgrade")
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	if err := env.restartServer(ctx); err != nil {
		t.Fatalf("restarting gitops-apiserver: %v", err)
	}

	waitForRevisionStatus(t, ns, "web", 2, "failed")
	t.Logf("the interrupted revision: %v", readHelmRelease(t, ns, "sh.helm.release.v1.web.v2")["info"].(map[string]any)["description"])
	kubectl(t, "patch", "helmrelease", "web", "-n", ns, "--type=merge", "-p", `{"spec":{"values":{"pod":"ready"}}}`)
	kubectlWait(t, 3*time.Minute, `--for=jsonpath={.status.conditions[?(@.type=="Ready")].reason}=UpgradeSucceeded`, "helmrelease/web", "-n", ns)
	statuses := kubectl(t, "get", "secrets", "-n", ns, "-l", "owner=helm,name=web", "-o", `jsonpath={range .items[*]}{.metadata.labels.version}={.metadata.labels.status} {end}`)
	if strings.Contains(statuses, "pending") {
		t.Errorf("release revisions %s: one is still pending", statuses)
	}
	t.Logf("release revisions after the restart: %s", statuses)
}

// waitForRevisionStatus waits until revision version of release name is
// stored with status (kubectl wait gives up at once on a Secret not yet
// written).
func waitForRevisionStatus(t *testing.T, ns, name string, version int, status string) {
	t.Helper()
	secret := fmt.Sprintf("sh.helm.release.v1.%s.v%d", name, version)
	if err := eventually(2*time.Minute, func() error {
		got, _ := tryKubectl(t, "", "get", "secret", secret, "-n", ns, "-o", "jsonpath={.metadata.labels.status}")
		if got != status {
			return fmt.Errorf("release revision %s is %q, want %s", secret, got, status)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

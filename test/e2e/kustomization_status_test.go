package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// What a Kustomization's status says, and what a reconcile of a revision
// already applied does. TestKustomizationReconciler runs them.

func testUnchangedRevisionIsNotAppliedAgain(t *testing.T, a *kustomizeApp) {
	revision := a.push(t, map[string]string{"unchanged/config.yaml": configMap("steady", a.ns, "v1")})
	a.applyKustomization(t, "unchanged", "./unchanged", "")
	a.waitForReady(t, "unchanged", revision)
	if reason, message := readyConditionOf(t, a.ns, "kustomization/unchanged"); reason != "ReconciliationSucceeded" || message != "Applied revision: "+revision {
		t.Errorf("Ready reason %q message %q, want ReconciliationSucceeded and %q", reason, message, "Applied revision: "+revision)
	}
	if got := historyOf(t, a.ns, "unchanged"); !strings.HasPrefix(got, "sha256:|1|ReconciliationSucceeded|"+revision) {
		t.Errorf("status.history[0] digest|runs|status|revision = %q, want one successful run of %s", got, revision)
	}
	waitForEventOf(t, a.ns, "Kustomization", "unchanged", "Progressing", "ConfigMap/"+a.ns+"/steady created")
	appliedAt := `{.metadata.resourceVersion}|{.metadata.managedFields[?(@.manager=="gitops-apiserver")].time}`
	before := kubectl(t, "get", "configmap", "steady", "-n", a.ns, "-o", "jsonpath="+appliedAt)

	request := requestReconcile(t, a.ns, "unchanged")
	kubectlWait(t, time.Minute, "--for=jsonpath={.status.lastHandledReconcileAt}="+request, "kustomization/unchanged", "-n", a.ns)
	// The same objects were built again: one snapshot, counted twice.
	if got := historyOf(t, a.ns, "unchanged"); !strings.HasPrefix(got, "sha256:|2|ReconciliationSucceeded|"+revision) {
		t.Errorf("after a requested reconcile status.history[0] digest|runs|status|revision = %q, want two runs of %s", got, revision)
	}
	if after := kubectl(t, "get", "configmap", "steady", "-n", a.ns, "-o", "jsonpath="+appliedAt); after != before {
		t.Errorf("an unchanged object was written again: resourceVersion|apply time %q, was %q", after, before)
	}

	// A change by hand is applied, and its Event is the first "configured"
	// one: Events of one recorder arrive in order, so one from the
	// unchanged run would be there already (the same message, so count 2).
	kubectl(t, "patch", "configmap", "steady", "-n", a.ns, "--type=merge", "-p", `{"data":{"value":"by hand"}}`)
	requestReconcile(t, a.ns, "unchanged")
	kubectlWait(t, time.Minute, "--for=jsonpath={.data.value}=v1", "configmap/steady", "-n", a.ns)
	waitForEventOf(t, a.ns, "Kustomization", "unchanged", "Progressing", "ConfigMap/"+a.ns+"/steady configured")
	counts := kubectl(t, "get", "events", "-n", a.ns, "--field-selector", "involvedObject.kind=Kustomization,involvedObject.name=unchanged,reason=Progressing",
		"-o", `jsonpath={range .items[*]}{.count}:{.message}{"\n"}{end}`)
	var configured []string
	for _, line := range strings.Split(counts, "\n") {
		if strings.Contains(line, "configured") {
			configured = append(configured, line)
		}
	}
	if len(configured) != 1 || !strings.HasPrefix(configured[0], "1:") {
		t.Errorf("Events saying configured (count:message): %q; want one, once: the unchanged run applied nothing", configured)
	}
}

// requestReconcile asks for a reconcile of Kustomization name now and
// returns the request's token.
func requestReconcile(t *testing.T, ns, name string) string {
	t.Helper()
	token := time.Now().Format(time.RFC3339Nano)
	kubectl(t, "annotate", "kustomization", name, "-n", ns, "--overwrite", "reconcile.fluxcd.io/requestedAt="+token)
	return token
}

// historyOf returns the newest status.history entry of Kustomization name as
// "digest|totalReconciliations|lastReconciledStatus|revision", with the
// digest cut to its algorithm, or "" when there is none.
func historyOf(t *testing.T, ns, name string) string {
	t.Helper()
	out := kubectl(t, "get", "kustomization", name, "-n", ns, "-o",
		`jsonpath={.status.history[0].digest}|{.status.history[0].totalReconciliations}|{.status.history[0].lastReconciledStatus}|{.status.history[0].metadata.revision}`)
	if out == "|||" {
		return ""
	}
	digest, rest, _ := strings.Cut(out, "|")
	algorithm, hex, _ := strings.Cut(digest, ":")
	if len(hex) != 64 {
		return fmt.Sprintf("%s (a digest of %d hex digits)|%s", digest, len(hex), rest)
	}
	return algorithm + ":|" + rest
}

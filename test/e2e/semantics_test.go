package e2e

import (
	"strings"
	"testing"
	"time"
)

func TestServerDryRunStoresNothing(t *testing.T) {
	ns := newNamespace(t)
	headBefore := branchHead(t)
	if out := kubectl(t, "apply", "--dry-run=server", "-n", ns, "-f", "testdata/kustomization.yaml"); !strings.Contains(out, "(server dry run)") {
		t.Errorf("kubectl apply --dry-run=server printed %q", out)
	}
	if out, err := tryKubectl(t, "", "get", "ks", "podinfo", "-n", ns); err == nil || !strings.Contains(out, "NotFound") {
		t.Errorf("a dry-run object can be read: err %v\n%s", err, out)
	}
	if head := branchHead(t); head != headBefore {
		t.Errorf("a dry run moved branch %s from %s to %s", storageBranch, headBefore, head)
	}
}

func TestLabelAndFieldSelectors(t *testing.T) {
	ns := newNamespace(t)
	for _, name := range []string{"frontend", "backend"} {
		kubectlWithInput(t, `apiVersion: gitops.io/v1alpha1
kind: Kustomization
metadata:
  name: `+name+`
  labels:
    tier: `+name+`
spec:
  interval: 10m
  prune: true
  sourceRef:
    kind: GitRepository
    name: podinfo
`, "apply", "-n", ns, "-f", "-")
	}
	if got := strings.TrimSpace(kubectl(t, "get", "ks", "-n", ns, "-l", "tier=backend", "-o", "name")); got != "kustomization.gitops.io/backend" {
		t.Errorf("label selector tier=backend listed %q", got)
	}
	if got := strings.TrimSpace(kubectl(t, "get", "ks", "-n", ns, "--field-selector", "metadata.name=frontend", "-o", "name")); got != "kustomization.gitops.io/frontend" {
		t.Errorf("field selector metadata.name=frontend listed %q", got)
	}
}

func TestFinalizerHoldsDeletionUntilRemoved(t *testing.T) {
	ns := newNamespace(t)
	kubectl(t, "apply", "-n", ns, "-f", "testdata/gitrepository.yaml")
	kubectl(t, "patch", "gitrepo", "podinfo", "-n", ns, "--type=merge", "-p", `{"metadata":{"finalizers":["e2e.gitops.io/hold"]}}`)

	kubectl(t, "delete", "gitrepo", "podinfo", "-n", ns, "--wait=false")
	if ts := kubectl(t, "get", "gitrepo", "podinfo", "-n", ns, "-o", "jsonpath={.metadata.deletionTimestamp}"); ts == "" {
		t.Fatal("the object with a finalizer is not marked for deletion")
	}

	kubectl(t, "patch", "gitrepo", "podinfo", "-n", ns, "--type=merge", "-p", `{"metadata":{"finalizers":null}}`)
	err := eventually(5*time.Second, func() error {
		out, err := tryKubectl(t, "", "get", "gitrepo", "podinfo", "-n", ns)
		if err == nil || !strings.Contains(out, "NotFound") {
			return &kubectlError{"still there: " + out}
		}
		return nil
	})
	if err != nil {
		t.Errorf("after its finalizer was removed: %v", err)
	}
	if out, err := tryGit(t, "--git-dir", env.storage, "cat-file", "-e", storageBranch+":"+manifestPath(ns, "gitrepositories", "podinfo")); err == nil {
		t.Errorf("the deleted object's file is still on %s %s", storageBranch, out)
	}
}

func TestStatusSubresourceAndGeneration(t *testing.T) {
	ns := newNamespace(t)
	kubectl(t, "apply", "-n", ns, "-f", "testdata/kustomization.yaml")
	// What a reconciler writes after applying generation 1.
	status := `{"status":{"observedGeneration":1,"conditions":[{"type":"Ready","status":"True","reason":"ReconciliationSucceeded","message":"Applied revision: main@sha1:abc","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}`

	// A status write through the main resource is ignored...
	kubectl(t, "patch", "ks", "podinfo", "-n", ns, "--type=merge", "-p", status)
	if ready := kubectl(t, "get", "ks", "podinfo", "-n", ns, "-o", `jsonpath={.status.conditions[?(@.type=="Ready")].status}`); ready != "" {
		t.Errorf("a patch of the main resource set status: Ready=%q", ready)
	}
	// ...and goes through the status subresource, without a new generation.
	kubectl(t, "patch", "ks", "podinfo", "-n", ns, "--subresource=status", "--type=merge", "-p", status)
	got := kubectl(t, "get", "ks", "podinfo", "-n", ns, "-o",
		`jsonpath={.status.conditions[?(@.type=="Ready")].status} {.metadata.generation}`)
	if got != "True 1" {
		t.Errorf("after a status patch, Ready and generation are %q, want \"True 1\"", got)
	}
	if table := kubectl(t, "get", "ks", "podinfo", "-n", ns); !strings.Contains(table, "Applied revision: main@sha1:abc") {
		t.Errorf("kubectl get does not show the Ready message:\n%s", table)
	}
	kubectl(t, "wait", "--for=condition=Ready", "ks/podinfo", "-n", ns, "--timeout=10s")

	// A spec change bumps the generation and keeps the status.
	kubectl(t, "patch", "ks", "podinfo", "-n", ns, "--type=merge", "-p", `{"spec":{"path":"./other"}}`)
	got = kubectl(t, "get", "ks", "podinfo", "-n", ns, "-o",
		`jsonpath={.status.conditions[?(@.type=="Ready")].status} {.metadata.generation}`)
	if got != "True 2" {
		t.Errorf("after a spec patch, Ready and generation are %q, want \"True 2\"", got)
	}
}

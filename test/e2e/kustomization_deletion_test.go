package e2e

import (
	"strings"
	"testing"
	"time"
)

// Kustomization features of deleting: spec.deletionPolicy and a prune that
// fails. TestKustomizationReconciler runs them.

func testDeletionPolicyOrphanAndDelete(t *testing.T, a *kustomizeApp) {
	revision := a.push(t, map[string]string{
		"orphan/config.yaml": configMap("orphaned", a.ns, "stays"),
		"delete/config.yaml": configMap("deleted", a.ns, "goes"),
	})
	a.applyKustomization(t, "orphan", "./orphan", "  deletionPolicy: Orphan\n")
	// prune: false alone would keep the objects; Delete deletes them anyway.
	kubectlWithInput(t, strings.Replace(kustomizationManifest("delete", "./delete", "  deletionPolicy: Delete\n"), "prune: true", "prune: false", 1),
		"apply", "-n", a.ns, "-f", "-")
	a.waitForReady(t, "orphan", revision)
	a.waitForReady(t, "delete", revision)

	// kubectl delete waits until the finalizer has run and the object is gone.
	kubectl(t, "delete", "kustomization", "orphan", "delete", "-n", a.ns, "--timeout=2m")
	if !exists(t, a.ns, "configmap/orphaned") {
		t.Error("deletionPolicy: Orphan deleted the objects with the Kustomization")
	}
	if exists(t, a.ns, "configmap/deleted") {
		t.Error("deletionPolicy: Delete left the objects of a Kustomization with prune: false")
	}
}

func testDeletionPolicyWaitForTermination(t *testing.T, a *kustomizeApp) {
	// The finalizer holds the ConfigMap in Terminating until it is removed,
	// as a controller cleaning up after an object would.
	held := strings.Replace(configMap("held", a.ns, "x"), "\ndata:", "\n  finalizers: [e2e.example.com/hold]\ndata:", 1)
	revision := a.push(t, map[string]string{"terminate/config.yaml": held})
	a.applyKustomization(t, "terminate", "./terminate", "  deletionPolicy: WaitForTermination\n  timeout: 5m\n")
	a.waitForReady(t, "terminate", revision)

	kubectl(t, "delete", "kustomization", "terminate", "-n", a.ns, "--wait=false")
	kubectlWait(t, time.Minute, "--for=jsonpath={.metadata.deletionTimestamp}", "configmap/held", "-n", a.ns)
	// Nothing may happen while the ConfigMap terminates; give the finalizer
	// the time it took above to delete it, and more, and check it waits.
	time.Sleep(5 * time.Second)
	if !exists(t, a.ns, "kustomization/terminate") {
		t.Fatal("deletionPolicy: WaitForTermination let the Kustomization go while its objects were terminating")
	}
	kubectl(t, "patch", "configmap", "held", "-n", a.ns, "--type=merge", "-p", `{"metadata":{"finalizers":null}}`)
	kubectlWait(t, time.Minute, "--for=delete", "kustomization/terminate", "-n", a.ns)

	// An object that never terminates holds it for spec.timeout only.
	stuck := strings.Replace(configMap("stuck", a.ns, "x"), "\ndata:", "\n  finalizers: [e2e.example.com/hold]\ndata:", 1)
	revision = a.push(t, map[string]string{"stuck/config.yaml": stuck})
	a.applyKustomization(t, "stuck", "./stuck", "  deletionPolicy: WaitForTermination\n  timeout: 10s\n")
	a.waitForReady(t, "stuck", revision)
	kubectl(t, "delete", "kustomization", "stuck", "-n", a.ns, "--wait=false")
	waitForEventOf(t, a.ns, "Kustomization", "stuck", "Failed", "gave up waiting for the objects to terminate after 10s")
	kubectlWait(t, time.Minute, "--for=delete", "kustomization/stuck", "-n", a.ns)
	if deleting := kubectl(t, "get", "configmap", "stuck", "-n", a.ns, "-o", "jsonpath={.metadata.deletionTimestamp}"); deleting == "" {
		t.Error("the stuck ConfigMap was not deleted")
	}
	kubectl(t, "patch", "configmap", "stuck", "-n", a.ns, "--type=merge", "-p", `{"metadata":{"finalizers":null}}`)
}

func testPruneFailedIsRetried(t *testing.T, a *kustomizeApp) {
	// The tenant may apply ConfigMaps but not delete them.
	kubectl(t, "create", "serviceaccount", "pruner", "-n", a.ns)
	kubectl(t, "create", "role", "apply-configmaps", "-n", a.ns, "--verb=get,list,watch,create,update,patch", "--resource=configmaps")
	kubectl(t, "create", "rolebinding", "pruner-apply", "-n", a.ns, "--role=apply-configmaps", "--serviceaccount="+a.ns+":pruner")
	first := a.push(t, map[string]string{
		"prune/kustomization.yaml": "resources: [kept.yaml, stale.yaml]\n",
		"prune/kept.yaml":          configMap("kept", a.ns, "1"),
		"prune/stale.yaml":         configMap("stale", a.ns, "1"),
	})
	a.applyKustomization(t, "prune", "./prune", "  serviceAccountName: pruner\n")
	a.waitForReady(t, "prune", first)

	second := a.push(t, map[string]string{
		"prune/kustomization.yaml": "resources: [kept.yaml]\n",
		"prune/stale.yaml":         "",
	})
	a.waitForNotReady(t, "prune", "PruneFailed", "ConfigMap/"+a.ns+"/stale", "forbidden", "system:serviceaccount:"+a.ns+":pruner")
	if !exists(t, a.ns, "configmap/stale") {
		t.Fatal("an object the ServiceAccount may not delete is gone")
	}
	waitForEventOf(t, a.ns, "Kustomization", "prune", "PruneFailed", "ConfigMap/"+a.ns+"/stale")

	// Given the right, the next reconcile prunes what the failed one could
	// not: the object was not forgotten.
	kubectl(t, "create", "role", "delete-configmaps", "-n", a.ns, "--verb=delete", "--resource=configmaps")
	kubectl(t, "create", "rolebinding", "pruner-delete", "-n", a.ns, "--role=delete-configmaps", "--serviceaccount="+a.ns+":pruner")
	requestReconcile(t, a.ns, "prune")
	a.waitForReady(t, "prune", second)
	kubectlWait(t, time.Minute, "--for=delete", "configmap/stale", "-n", a.ns)
	if !exists(t, a.ns, "configmap/kept") {
		t.Error("the object still in the source was pruned")
	}
}

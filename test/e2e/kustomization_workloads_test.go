package e2e

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"gitops.io/apiserver/test/controlplane"
)

// Kustomizations over workloads that really settle: kube-scheduler binds
// their Pods to kwok's Node, which makes them Running and Ready (or keeps
// them unready when labelled kwok.gitops.io/pod=unready), and
// kube-controller-manager's controllers make Deployments Available, Jobs
// Complete and deleted Namespaces go.

func TestKustomizationWaitsForDeploymentAndJob(t *testing.T) {
	a := newWorkloadsApp(t)
	// The Job's Pod may only run on a Node with this label, which none has
	// yet: the Job stays in progress, so the Kustomization must not become
	// Ready, and says which object it waited for.
	gate := "e2e.gitops.io/" + a.ns
	revision := a.push(t, map[string]string{
		"workloads/deployment.yaml": deploymentManifest("web", a.ns, ""),
		"workloads/service.yaml":    serviceManifest("web", a.ns),
		"workloads/job.yaml":        jobManifest("migrate", a.ns, gate),
	})
	a.applyKustomization(t, "workloads", "./workloads", "  wait: true\n  timeout: 20s\n")
	a.waitForNotReady(t, "workloads", "HealthCheckFailed", "Job/"+a.ns+"/migrate")

	kubectl(t, "label", "node", controlplane.NodeName, gate+"=open")
	t.Cleanup(func() {
		// The test's context has ended by now; this must still run.
		unlabel := exec.Command(env.kubectl, "--kubeconfig", env.cp.KubeconfigPath, "label", "node", controlplane.NodeName, gate+"-")
		if out, err := unlabel.CombinedOutput(); err != nil {
			t.Errorf("removing label %s from node %s: %v\n%s", gate, controlplane.NodeName, err, out)
		}
	})
	requestReconcile(t, a.ns, "workloads")
	a.waitForReady(t, "workloads", revision)
	if got := conditionStatus(t, a.ns, "deployment/web", "Available"); got != "True" {
		t.Errorf("the Kustomization is Ready and Deployment web has Available=%q, want True", got)
	}
	if got := conditionStatus(t, a.ns, "job/migrate", "Complete"); got != "True" {
		t.Errorf("the Kustomization is Ready and Job migrate has Complete=%q, want True", got)
	}
	// Ready came after both (the API's times are whole seconds).
	ready := timeOf(t, a.ns, "kustomization/workloads", `{.status.conditions[?(@.type=="Ready")].lastTransitionTime}`)
	for object, path := range map[string]string{
		"job/migrate":    `{.status.completionTime}`,
		"deployment/web": `{.status.conditions[?(@.type=="Available")].lastTransitionTime}`,
	} {
		if settled := timeOf(t, a.ns, object, path); ready.Before(settled) {
			t.Errorf("the Kustomization became Ready at %s, before %s settled at %s", ready, object, settled)
		}
	}
}

func TestKustomizationHealthCheckFailedNamesUnreadyDeployment(t *testing.T) {
	a := newWorkloadsApp(t)
	a.push(t, map[string]string{
		"unready/deployment.yaml": deploymentManifest("stuck", a.ns, "unready"),
		"unready/config.yaml":     configMap("beside", a.ns, "applied"),
	})
	a.applyKustomization(t, "unready", "./unready", "  wait: true\n  timeout: 10s\n")
	message := a.waitForNotReady(t, "unready", "HealthCheckFailed", "Deployment/"+a.ns+"/stuck")
	if strings.Contains(message, "ConfigMap/") {
		t.Errorf("the health check names a healthy object: %s", message)
	}
	if got := kubectl(t, "get", "kustomization", "unready", "-n", a.ns, "-o",
		`jsonpath={.status.conditions[?(@.type=="Healthy")].status}`); got != "False" {
		t.Errorf("Healthy=%q, want False", got)
	}
	// The Pods run but are not Ready, so the Deployment is not Available:
	// what the Kustomization reported.
	kubectlWait(t, time.Minute, "--for=jsonpath={.status.phase}=Running", "pod", "-l", "app=stuck", "-n", a.ns)
	if got := kubectl(t, "get", "pods", "-l", "app=stuck", "-n", a.ns, "-o",
		`jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}`); got != "False False" {
		t.Errorf("the Deployment's two Pods have Ready %q, want False False", got)
	}
	if got := conditionStatus(t, a.ns, "deployment/stuck", "Available"); got != "False" {
		t.Errorf("Deployment stuck has Available=%q, want False", got)
	}
}

func TestKustomizationDeletionRemovesItsNamespace(t *testing.T) {
	a := newWorkloadsApp(t)
	owned := a.ns + "-owned"
	revision := a.push(t, map[string]string{
		"namespace/namespace.yaml": fmt.Sprintf("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: %s\n", owned),
		"namespace/config.yaml":    configMap("inside", owned, "x"),
	})
	a.applyKustomization(t, "namespace", "./namespace", "")
	a.waitForReady(t, "namespace", revision)
	if !exists(t, owned, "configmap/inside") {
		t.Fatal("the ConfigMap in the Kustomization's Namespace was not applied")
	}

	kubectl(t, "delete", "kustomization", "namespace", "-n", a.ns, "--timeout=2m")
	// The namespace controller empties the Namespace, then removes it.
	kubectlWait(t, 2*time.Minute, "--for=delete", "namespace/"+owned)
	out, err := tryKubectl(t, "", "get", "namespace", owned)
	if err == nil || !strings.Contains(out, "NotFound") {
		t.Errorf("kubectl get namespace %s after the Kustomization was deleted: %v\n%s", owned, err, out)
	}
}

// newWorkloadsApp starts the reconcilers and a Git server for one test, and
// makes its kustomizeApp.
func newWorkloadsApp(t *testing.T) *kustomizeApp {
	t.Helper()
	useReconcilers(t)
	password := "pw-" + randomHex(t)
	showServerLogOnFailure(t)
	return newKustomizeApp(t, startGitServer(t, "e2e", password, ""), password)
}

// deploymentManifest is a 2-replica Deployment whose Pods (labelled
// app=name) carry the label kwok.gitops.io/pod=kwokPod when it is not empty.
// kwok pulls no image.
func deploymentManifest(name, ns, kwokPod string) string {
	podLabel := ""
	if kwokPod != "" {
		podLabel = "\n        kwok.gitops.io/pod: " + kwokPod
	}
	return fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: %[1]s
  namespace: %[2]s
spec:
  replicas: 2
  selector:
    matchLabels:
      app: %[1]s
  template:
    metadata:
      labels:
        app: %[1]s%[3]s
    spec:
      containers:
      - name: main
        image: registry.k8s.io/pause:3.10
`, name, ns, podLabel)
}

func serviceManifest(name, ns string) string {
	return fmt.Sprintf(`apiVersion: v1
kind: Service
metadata:
  name: %[1]s
  namespace: %[2]s
spec:
  selector:
    app: %[1]s
  ports:
  - port: 80
`, name, ns)
}

// jobManifest is a Job of one Pod that runs only on a Node labelled
// nodeLabel=open.
func jobManifest(name, ns, nodeLabel string) string {
	return fmt.Sprintf(`apiVersion: batch/v1
kind: Job
metadata:
  name: %s
  namespace: %s
spec:
  template:
    spec:
      restartPolicy: Never
      nodeSelector:
        %s: open
      containers:
      - name: main
        image: registry.k8s.io/pause:3.10
`, name, ns, nodeLabel)
}

// conditionStatus returns the status of condition typ of object (resource/name).
func conditionStatus(t *testing.T, ns, object, typ string) string {
	t.Helper()
	return kubectl(t, "get", object, "-n", ns, "-o", `jsonpath={.status.conditions[?(@.type=="`+typ+`")].status}`)
}

// timeOf reads a timestamp of object (resource/name) at jsonpath.
func timeOf(t *testing.T, ns, object, jsonpath string) time.Time {
	t.Helper()
	out := kubectl(t, "get", object, "-n", ns, "-o", "jsonpath="+jsonpath)
	at, err := time.Parse(time.RFC3339, out)
	if err != nil {
		t.Fatalf("%s in %s at %s: %v", object, ns, jsonpath, err)
	}
	return at
}

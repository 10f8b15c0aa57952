package e2e

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gitops.io/apiserver/test/controlplane"
)

// The install manifests go to a cluster of their own: the shared one has a
// loopback Service and APIService for the server under test.
func TestArtifactsApplyToAFreshCluster(t *testing.T) {
	root, err := controlplane.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	cluster := controlplane.Start(t, controlplane.Options{})
	run := func(args ...string) string {
		t.Helper()
		ctx, cancel := contextWithTimeout(t, commandTimeout)
		defer cancel()
		// Only stdout: kubectl warns about cluster-scoped resources on stderr.
		var stderr strings.Builder
		cmd := exec.CommandContext(ctx, env.kubectl, append([]string{"--kubeconfig", cluster.KubeconfigPath}, args...)...)
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("kubectl %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr.String())
		}
		return string(out)
	}

	out := run("apply", "-k", filepath.Join(root, "artifacts"))
	for _, want := range []string{
		"namespace/gitops-system created",
		"deployment.apps/gitops-apiserver created",
		"apiservice.apiregistration.k8s.io/v1alpha1.gitops.io created",
		"clusterrole.rbac.authorization.k8s.io/gitops-edit created",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("kubectl apply -k artifacts did not report %q:\n%s", want, out)
		}
	}

	// The server's ServiceAccount may do what delegated authn/authz and
	// admission need, and what Kustomizations apply and impersonate.
	sa := "--as=system:serviceaccount:gitops-system:gitops-apiserver"
	for _, check := range [][]string{
		{"create", "subjectaccessreviews.authorization.k8s.io"},
		{"create", "tokenreviews.authentication.k8s.io"},
		{"list", "namespaces"},
		{"get", "configmaps/extension-apiserver-authentication", "-n", "kube-system"},
		{"get", "serviceaccounts", "-n", "default"},
		{"patch", "customresourcedefinitions.apiextensions.k8s.io"},
		{"delete", "deployments.apps", "-n", "default"},
		{"impersonate", "serviceaccounts", "-n", "default"},
	} {
		if got := strings.TrimSpace(run(append([]string{"auth", "can-i", sa}, check...)...)); got != "yes" {
			t.Errorf("the server's ServiceAccount may not %v: %s", check, got)
		}
	}
}

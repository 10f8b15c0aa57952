package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// bindRole binds user to a ClusterRole in namespace and waits until
// kube-apiserver's authorizer knows it.
func bindRole(t testing.TB, namespace, user, clusterRole, verb string) {
	t.Helper()
	kubectl(t, "create", "rolebinding", user+"-"+clusterRole, "-n", namespace,
		"--clusterrole="+clusterRole, "--user="+user)
	err := eventually(10*time.Second, func() error {
		out, _ := tryKubectl(t, "", "auth", "can-i", verb, "kustomizations.gitops.io", "-n", namespace, "--as="+user)
		if strings.TrimSpace(out) != "yes" {
			return fmt.Errorf("kubectl auth can-i %s kustomizations --as=%s: %s", verb, user, out)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRBAC(t *testing.T) {
	ns := newNamespace(t)
	kubectl(t, "apply", "-n", ns, "-f", "testdata/kustomization.yaml")
	// The built-in roles: gitops-view and gitops-edit aggregate into them.
	bindRole(t, ns, "e2e-viewer", "view", "get")
	bindRole(t, ns, "e2e-editor", "edit", "create")

	t.Run("no role is refused", func(t *testing.T) {
		out, err := tryKubectl(t, "", "get", "ks", "podinfo", "-n", ns, "--as=e2e-nobody")
		if err == nil || !strings.Contains(out, "Forbidden") || !strings.Contains(out, `"e2e-nobody"`) {
			t.Errorf("a user without a role read a Kustomization: err %v\n%s", err, out)
		}
	})

	t.Run("view can get", func(t *testing.T) {
		out := kubectl(t, "get", "ks", "podinfo", "-n", ns, "--as=e2e-viewer", "-o", "name")
		if strings.TrimSpace(out) != "kustomization.gitops.io/podinfo" {
			t.Errorf("view user's get printed %q", out)
		}
	})

	t.Run("view cannot create", func(t *testing.T) {
		out, err := tryKubectl(t, "", "apply", "-n", ns, "-f", "testdata/gitrepository.yaml", "--as=e2e-viewer")
		if err == nil || !strings.Contains(out, "Forbidden") || !strings.Contains(out, "cannot create") {
			t.Errorf("a view user created a GitRepository: err %v\n%s", err, out)
		}
		if out, err := tryKubectl(t, "", "get", "gitrepository", "podinfo", "-n", ns); err == nil {
			t.Errorf("the GitRepository the view user was refused exists:\n%s", out)
		}
	})

	t.Run("edit can create", func(t *testing.T) {
		out := kubectl(t, "apply", "-n", ns, "-f", "testdata/gitrepository.yaml", "--as=e2e-editor")
		if !strings.Contains(out, "gitrepository.gitops.io/podinfo created") {
			t.Errorf("edit user's apply printed %q", out)
		}
	})
}

package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// kustomizationActingAs is a Kustomization whose reconciler acts as
// serviceAccount ("" for the owner).
func kustomizationActingAs(name, serviceAccount string) string {
	manifest := fmt.Sprintf(`apiVersion: gitops.io/v1alpha1
kind: Kustomization
metadata:
  name: %s
spec:
  interval: 10m
  path: ./deploy
  prune: true
  sourceRef:
    kind: GitRepository
    name: app
`, name)
	if serviceAccount != "" {
		manifest += "  serviceAccountName: " + serviceAccount + "\n"
	}
	return manifest
}

// assertRefusedForServiceAccount checks a kubectl call was refused with 403
// naming the field, the ServiceAccount and the missing permission.
func assertRefusedForServiceAccount(t *testing.T, out string, err error, serviceAccount string) {
	t.Helper()
	if err == nil {
		t.Fatalf("the write was allowed:\n%s", out)
	}
	for _, want := range []string{"(Forbidden)", "spec.serviceAccountName", `"` + serviceAccount + `"`, "impersonate"} {
		if !strings.Contains(out, want) {
			t.Errorf("the refusal does not say %s:\n%s", want, out)
		}
	}
}

func TestSettingServiceAccountNeedsImpersonateRight(t *testing.T) {
	withEdit, withGitopsEdit := newNamespace(t), newNamespace(t)
	// edit lets alice impersonate the ServiceAccounts of its namespace;
	// gitops-edit lets her write gitops.io objects only.
	bindRole(t, withEdit, "alice", "edit", "create")
	bindRole(t, withGitopsEdit, "alice", "gitops-edit", "create")
	// An administrator of gitops.io objects who may not impersonate.
	bindRole(t, withEdit, "gitops-operator", "gitops-admin", "update")

	t.Run("edit may name a ServiceAccount of its namespace", func(t *testing.T) {
		kubectlWithInput(t, kustomizationActingAs("app", "deployer"), "create", "-n", withEdit, "-f", "-", "--as=alice")
		got := kubectl(t, "get", "ks", "app", "-n", withEdit, "-o", "jsonpath={.spec.serviceAccountName}")
		if got != "deployer" {
			t.Errorf("stored serviceAccountName %q, want deployer", got)
		}
	})

	t.Run("gitops-edit may not name a ServiceAccount", func(t *testing.T) {
		out, err := tryKubectl(t, kustomizationActingAs("app", "deployer"), "create", "-n", withGitopsEdit, "-f", "-", "--as=alice")
		assertRefusedForServiceAccount(t, out, err, "deployer")
		if out, err := tryKubectl(t, "", "get", "ks", "app", "-n", withGitopsEdit); err == nil {
			t.Errorf("the refused Kustomization exists:\n%s", out)
		}
	})

	t.Run("gitops-edit may create without a ServiceAccount but not add one", func(t *testing.T) {
		kubectlWithInput(t, kustomizationActingAs("plain", ""), "create", "-n", withGitopsEdit, "-f", "-", "--as=alice")
		out, err := tryKubectl(t, "", "patch", "ks", "plain", "-n", withGitopsEdit, "--type=merge",
			"-p", `{"spec":{"serviceAccountName":"deployer"}}`, "--as=alice")
		assertRefusedForServiceAccount(t, out, err, "deployer")
		if got := kubectl(t, "get", "ks", "plain", "-n", withGitopsEdit, "-o", "jsonpath={.spec.serviceAccountName}"); got != "" {
			t.Errorf("the refused patch stored serviceAccountName %q", got)
		}
	})

	t.Run("an administrator may suspend an object that names a ServiceAccount", func(t *testing.T) {
		kubectl(t, "patch", "ks", "app", "-n", withEdit, "--type=merge", "-p", `{"spec":{"suspend":true}}`, "--as=gitops-operator")
		got := kubectl(t, "get", "ks", "app", "-n", withEdit, "-o", "jsonpath={.spec.suspend} {.spec.serviceAccountName}")
		if got != "true deployer" {
			t.Errorf("after the administrator's suspend: suspend and serviceAccountName %q, want \"true deployer\"", got)
		}
		// The same administrator may not change the ServiceAccount: the
		// suspend was allowed because the field was left as it was.
		out, err := tryKubectl(t, "", "patch", "ks", "app", "-n", withEdit, "--type=merge",
			"-p", `{"spec":{"serviceAccountName":"other"}}`, "--as=gitops-operator")
		assertRefusedForServiceAccount(t, out, err, "other")
	})
}

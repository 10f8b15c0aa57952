package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// tenant is a user bound to the built-in edit role in one namespace, as a
// team member of a shared cluster is.
type tenant struct {
	user string
	app  *kustomizeApp
}

func newTenant(t *testing.T, app *kustomizeApp) tenant {
	user := "tenant-" + randomHex(t)[:8]
	bindRole(t, app.ns, user, "edit", "create")
	return tenant{user: user, app: app}
}

// apply applies a Kustomization of the app's GitRepository as the tenant.
func (tn tenant) apply(t *testing.T, name, path, extra string) {
	t.Helper()
	kubectlWithInput(t, kustomizationManifest(name, path, extra), "apply", "-n", tn.app.ns, "-f", "-", "--as="+tn.user)
}

func (tn tenant) canListSecretsEverywhere(t *testing.T) bool {
	out, _ := tryKubectl(t, "", "auth", "can-i", "list", "secrets", "-A", "--as="+tn.user)
	return strings.TrimSpace(out) == "yes"
}

func clusterAdminBinding(name, user string) string {
	return fmt.Sprintf(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: %s
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: %s
`, name, user)
}

// The scenario: a namespace editor's Kustomization of a repository
// holding a ClusterRoleBinding makes them cluster-admin unless it acts as
// them.
func TestNamespaceEditorCannotBecomeClusterAdmin(t *testing.T) {
	server, password := startReconcilersWithGitServer(t)
	app := newKustomizeApp(t, server, password)
	alice := newTenant(t, app)
	binding := "escalate-" + alice.user
	revision := app.push(t, map[string]string{"escalate/binding.yaml": clusterAdminBinding(binding, alice.user)})
	if alice.canListSecretsEverywhere(t) {
		t.Fatalf("%s can list secrets everywhere before the test", alice.user)
	}

	alice.apply(t, "escalate", "./escalate", "")
	if owner := kubectl(t, "get", "kustomization", "escalate", "-n", app.ns, "-o", "jsonpath={.status.owner.username}"); owner != alice.user {
		t.Fatalf("status.owner.username = %q, want the creator %s", owner, alice.user)
	}
	if wide := kubectl(t, "get", "kustomization", "escalate", "-n", app.ns, "-o", "wide"); !strings.Contains(wide, "OWNER") ||
		!strings.Contains(wide, alice.user) {
		t.Errorf("kubectl get -o wide does not show the owner:\n%s", wide)
	}
	forbidden := fmt.Sprintf(`clusterrolebindings.rbac.authorization.k8s.io "%s" is forbidden: User "%s"`, binding, alice.user)
	app.waitForNotReady(t, "escalate", "ReconciliationFailed", forbidden)
	if exists(t, "", "clusterrolebinding/"+binding) {
		t.Fatal("the ClusterRoleBinding of a namespace editor's Kustomization was applied")
	}
	if alice.canListSecretsEverywhere(t) {
		t.Fatalf("%s can list secrets everywhere", alice.user)
	}

	t.Run("an admin's suspend and resume lend no rights", func(t *testing.T) {
		kubectl(t, "patch", "kustomization", "escalate", "-n", app.ns, "--type=merge", "-p", `{"spec":{"suspend":true}}`)
		kubectl(t, "patch", "kustomization", "escalate", "-n", app.ns, "--type=merge", "-p", `{"spec":{"suspend":false}}`)
		token := time.Now().Format(time.RFC3339Nano)
		kubectl(t, "annotate", "kustomization", "escalate", "-n", app.ns, "--overwrite", "reconcile.fluxcd.io/requestedAt="+token)
		kubectlWait(t, 2*time.Minute, "--for=jsonpath={.status.lastHandledReconcileAt}="+token, "kustomization/escalate", "-n", app.ns)
		app.waitForNotReady(t, "escalate", "ReconciliationFailed", forbidden)
		if owner := kubectl(t, "get", "kustomization", "escalate", "-n", app.ns, "-o", "jsonpath={.status.owner.username}"); owner != alice.user {
			t.Errorf("owner after an admin's suspend and resume = %q, want %s", owner, alice.user)
		}
		if exists(t, "", "clusterrolebinding/"+binding) {
			t.Error("the ClusterRoleBinding was applied after an admin resumed the Kustomization")
		}
	})

	t.Run("a kubeConfig Secret is read as the owner", func(t *testing.T) {
		// A user who may write Kustomizations but not read Secrets cannot
		// borrow a kubeconfig stored in the namespace.
		writer := "gitops-editor-" + randomHex(t)[:8]
		bindRole(t, app.ns, writer, "gitops-edit", "create")
		kubectl(t, "create", "secret", "generic", "remote-kubeconfig", "-n", app.ns, "--from-literal=value=not read")
		kubectlWithInput(t, kustomizationManifest("remote", "./escalate", "  kubeConfig:\n    secretRef:\n      name: remote-kubeconfig\n"),
			"apply", "-n", app.ns, "-f", "-", "--as="+writer)
		app.waitForNotReady(t, "remote", "ReconciliationFailed", `secrets "remote-kubeconfig" is forbidden: User "`+writer+`"`)
	})

	t.Run("the same Kustomization of an admin applies", func(t *testing.T) {
		// Once the binding exists the user is cluster-admin, and their own
		// Kustomization would apply it too (and take it over).
		kubectl(t, "delete", "kustomization", "escalate", "remote", "-n", app.ns, "--timeout=1m")
		app.applyKustomization(t, "admin", "./escalate", "")
		app.waitForReady(t, "admin", revision)
		if !exists(t, "", "clusterrolebinding/"+binding) {
			t.Error("an admin's Kustomization did not apply the ClusterRoleBinding")
		}
		// Pruned with it, so the user is no admin after the test.
		kubectl(t, "delete", "kustomization", "admin", "-n", app.ns, "--timeout=2m")
		kubectl(t, "wait", "--for=delete", "clusterrolebinding/"+binding, "--timeout=1m")
	})
}

// A source in another namespace is used only when the identity the
// Kustomization acts as may read its artifact there.
func TestCrossNamespaceSourceNeedsArtifactAccess(t *testing.T) {
	server, password := startReconcilersWithGitServer(t)
	shared := newKustomizeApp(t, server, password) // the source, in its own namespace
	home := &kustomizeApp{ns: newNamespace(t)}
	alice := newTenant(t, home)
	revision := shared.push(t, map[string]string{"app/config.yaml": configMap("from-shared", home.ns, "shared")})
	sourceRef := "    namespace: " + shared.ns + "\n"
	manifest := func(name, extra string) string {
		return strings.Replace(kustomizationManifest(name, "./app", extra), "    name: app\n", "    name: app\n"+sourceRef, 1)
	}

	kubectlWithInput(t, manifest("as-alice", ""), "apply", "-n", home.ns, "-f", "-", "--as="+alice.user)
	home.waitForNotReady(t, "as-alice", "AccessDenied", "spec.sourceRef", `User "`+alice.user+`"`,
		`cannot get resource "gitrepositories/artifact" in API group "gitops.io" in the namespace "`+shared.ns+`"`)

	// Alice's own ServiceAccount, which may apply in her namespace.
	kubectl(t, "create", "serviceaccount", "deployer", "-n", home.ns, "--as="+alice.user)
	kubectl(t, "create", "rolebinding", "deployer-edit", "-n", home.ns, "--clusterrole=edit", "--serviceaccount="+home.ns+":deployer")
	kubectlWithInput(t, manifest("as-deployer", "  serviceAccountName: deployer\n"), "apply", "-n", home.ns, "-f", "-", "--as="+alice.user)
	deployer := "system:serviceaccount:" + home.ns + ":deployer"
	home.waitForNotReady(t, "as-deployer", "AccessDenied", `User "`+deployer+`"`, "gitrepositories/artifact")
	if exists(t, home.ns, "configmap/from-shared") {
		t.Fatal("a refused cross-namespace source was applied")
	}

	// The owner of the source's namespace grants the ServiceAccount read
	// access to its artifacts.
	kubectl(t, "create", "role", "read-artifacts", "-n", shared.ns, "--verb=get", "--resource=gitrepositories.gitops.io/artifact")
	kubectl(t, "create", "rolebinding", "deployer-reads", "-n", shared.ns, "--role=read-artifacts", "--serviceaccount="+home.ns+":deployer")
	kubectl(t, "annotate", "kustomization", "as-deployer", "-n", home.ns, "--overwrite",
		"reconcile.fluxcd.io/requestedAt="+time.Now().Format(time.RFC3339Nano))
	home.waitForReady(t, "as-deployer", revision)
	if !exists(t, home.ns, "configmap/from-shared") {
		t.Error("the granted cross-namespace Kustomization applied nothing")
	}
	// Alice herself was granted nothing.
	home.waitForNotReady(t, "as-alice", "AccessDenied", `User "`+alice.user+`"`)
}

// Flux's multi-tenancy, unchanged: a platform Kustomization acting as a
// ServiceAccount with cluster rights applies a tenant's GitRepository and
// Kustomization, which act as the tenant's own ServiceAccount.
func TestFluxShapedMultiTenancy(t *testing.T) {
	server, password := startReconcilersWithGitServer(t)
	platform := newKustomizeApp(t, server, password)
	tenantApp := newKustomizeApp(t, server, password) // its repository and git-auth Secret
	kubectl(t, "create", "serviceaccount", "platform", "-n", platform.ns)
	binding := "platform-" + platform.ns
	kubectl(t, "create", "clusterrolebinding", binding, "--clusterrole=cluster-admin", "--serviceaccount="+platform.ns+":platform")
	defer kubectl(t, "delete", "clusterrolebinding", binding) // t.Context() has ended by cleanup time
	kubectl(t, "create", "serviceaccount", "tenant", "-n", tenantApp.ns)
	kubectl(t, "create", "rolebinding", "tenant-edit", "-n", tenantApp.ns, "--clusterrole=edit", "--serviceaccount="+tenantApp.ns+":tenant")

	tenantRevision := tenantApp.repo.commitAndPush(map[string]string{
		"app/config.yaml": configMap("tenant-config", tenantApp.ns, "applied as the tenant")})
	tenantSource := gitRepositoryOnBranch("tenant-src", tenantApp.repo.url, "main", "git-auth", "1m")
	tenantKustomization := strings.Replace(kustomizationManifest("tenant-app", "./app", "  serviceAccountName: tenant\n"),
		"    name: app\n", "    name: tenant-src\n", 1)
	withNamespace := func(manifest string) string {
		return strings.Replace(manifest, "metadata:\n", "metadata:\n  namespace: "+tenantApp.ns+"\n", 1)
	}
	platformRevision := platform.push(t, map[string]string{
		"tenants/source.yaml":     withNamespace(tenantSource),
		"tenants/tenant-app.yaml": withNamespace(tenantKustomization),
	})
	platform.applyKustomization(t, "tenants", "./tenants", "  serviceAccountName: platform\n")
	platform.waitForReady(t, "tenants", platformRevision)

	tenant := &kustomizeApp{ns: tenantApp.ns}
	tenant.waitForReady(t, "tenant-app", "main@sha1:"+tenantRevision)
	if !exists(t, tenantApp.ns, "configmap/tenant-config") {
		t.Error("the tenant's Kustomization applied nothing")
	}
	wantOwner := "system:serviceaccount:" + platform.ns + ":platform"
	if owner := kubectl(t, "get", "kustomization", "tenant-app", "-n", tenantApp.ns, "-o", "jsonpath={.status.owner.username}"); owner != wantOwner {
		t.Errorf("the tenant's Kustomization is owned by %q, want the platform's ServiceAccount %s that applied it", owner, wantOwner)
	}
}

// A Kustomization pushed to the storage repository acts as the push
// identity: bound to nothing, it may apply nothing, until the administrator
// binds the pushers' group.
func TestPushedKustomizationActsAsThePushIdentity(t *testing.T) {
	server, password := startReconcilersWithGitServer(t)
	app := newKustomizeApp(t, server, password)
	revision := app.push(t, map[string]string{"pushed/config.yaml": configMap("pushed", app.ns, "from a push")})
	path := manifestPath(app.ns, "kustomizations", "pushed")
	cloneStorage(t).commitAndPush("add a Kustomization by git push",
		map[string]string{path: strings.Replace(kustomizationManifest("pushed", "./pushed", ""), "metadata:\n",
			"metadata:\n  namespace: "+app.ns+"\n", 1)})

	app.waitForNotReady(t, "pushed", "ReconciliationFailed", `User "`+pushIdentity+`"`, "forbidden")
	if exists(t, app.ns, "configmap/pushed") {
		t.Fatal("a pushed Kustomization applied while the push identity is bound to nothing")
	}

	bindPushers(t, app.ns)
	kubectl(t, "annotate", "kustomization", "pushed", "-n", app.ns, "--overwrite",
		"reconcile.fluxcd.io/requestedAt="+time.Now().Format(time.RFC3339Nano))
	app.waitForReady(t, "pushed", revision)
	if !exists(t, app.ns, "configmap/pushed") {
		t.Error("the pushed Kustomization applied nothing once the pushers were bound")
	}
}

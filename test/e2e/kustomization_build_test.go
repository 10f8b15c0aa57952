package e2e

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"filippo.io/age"

	"gitops.io/apiserver/pkg/reconcile/kustomize/decrypt/sopstest"
)

// Kustomization features of building: the spec's overlays, postBuild
// substitution and SOPS decryption. TestKustomizationReconciler runs them.

func testOverlaysAndSubstitution(t *testing.T, a *kustomizeApp) {
	target := a.ns + "-target"
	kubectl(t, "create", "namespace", target)
	kubectl(t, "create", "configmap", "vars", "-n", a.ns, "--from-literal=target=world")
	// No kustomization.yaml: one is generated from the manifests.
	revision := a.push(t, map[string]string{
		"overlay/config.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config\ndata:\n  value: ${greeting:=hello} ${target}\n  kept: $${literal}\n",
		"overlay/web.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:1.0"}]
`,
	})
	a.applyKustomization(t, "overlay", "./overlay", fmt.Sprintf(`  targetNamespace: %s
  namePrefix: pre-
  images:
  - name: nginx
    newTag: "1.2"
  patches:
  - target: {kind: ConfigMap}
    patch: |
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: any
        labels:
          patched: "yes"
  postBuild:
    substitute:
      greeting: hi
    substituteFrom:
    - kind: ConfigMap
      name: vars
    - kind: Secret
      name: not-there
      optional: true
`, target))
	a.waitForReady(t, "overlay", revision)

	if got := kubectl(t, "get", "configmap", "pre-config", "-n", target, "-o", "jsonpath={.data.value}|{.data.kept}|{.metadata.labels.patched}"); got != "hi world|${literal}|yes" {
		t.Errorf("pre-config in %s: value|kept|label = %q, want %q", target, got, "hi world|${literal}|yes")
	}
	if image := kubectl(t, "get", "deployment", "pre-web", "-n", target, "-o", "jsonpath={.spec.template.spec.containers[0].image}"); image != "nginx:1.2" {
		t.Errorf("image %q, want nginx:1.2", image)
	}
}

func testSOPSDecryption(t *testing.T, a *kustomizeApp) {
	identity, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	secret := fmt.Sprintf("apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: %s\nstringData:\n  password: s3cr3t-%s\n",
		a.ns, a.ns)
	encrypted := sopstest.Encrypt(t, secret, identity.Recipient().String())
	if strings.Contains(encrypted, "s3cr3t-") {
		t.Fatal("the encrypted manifest holds the plain password")
	}
	revision := a.push(t, map[string]string{"secrets/db.yaml": encrypted})

	a.applyKustomization(t, "plain", "./secrets", "")
	a.waitForNotReady(t, "plain", "BuildFailed", "Secret")
	if exists(t, a.ns, "secret/db") {
		t.Fatal("an encrypted Secret was applied without decryption")
	}

	kubectl(t, "create", "secret", "generic", "sops-age", "-n", a.ns, "--from-literal=age.agekey="+identity.String())
	a.applyKustomization(t, "decrypted", "./secrets", "  decryption:\n    provider: sops\n    secretRef:\n      name: sops-age\n")
	a.waitForReady(t, "decrypted", revision)
	data := kubectl(t, "get", "secret", "db", "-n", a.ns, "-o", "jsonpath={.data.password}")
	if got, _ := base64.StdEncoding.DecodeString(data); string(got) != "s3cr3t-"+a.ns {
		t.Errorf("the applied Secret holds %q, want the decrypted password", got)
	}
	assertLogHasNo(t, "s3cr3t-"+a.ns)
	assertLogHasNo(t, identity.String())
}

package e2e

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"gitops.io/apiserver/test/ociregistry"
)

// testOCICosignVerification: a signed artifact is SourceVerified with the
// public key of spec.verify.secretRef; an unsigned one is refused.
// TestOCIRepositoryReconciler runs it.
func testOCICosignVerification(t *testing.T, reg *ociregistry.Registry, password string) {
	ns := newNamespace(t)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signed := pushOCIFiles(t, reg, "signed/app", "1.0.0", map[string]string{"app.yaml": "kind: ConfigMap\n"})
	digest, err := v1.NewHash(signed)
	if err != nil {
		t.Fatal(err)
	}
	reg.Sign(t, "signed/app", digest, key)
	keyFile := filepath.Join(t.TempDir(), "cosign.pub")
	if err := os.WriteFile(keyFile, ociregistry.PublicKeyPEM(t, key), 0o600); err != nil {
		t.Fatal(err)
	}
	kubectl(t, "create", "secret", "generic", "cosign-keys", "-n", ns, "--from-file=cosign.pub="+keyFile)
	createDockerConfigSecret(t, ns, "registry-auth", reg.Host, "e2e", password)
	applyOCIRepository(t, ns, "signed", reg.URL("signed/app"), "10m", "semver: 1.x",
		"insecure: true\n  secretRef:\n    name: registry-auth\n  verify:\n    provider: cosign\n    secretRef:\n      name: cosign-keys")
	kubectlWait(t, time.Minute, "--for=condition=SourceVerified", "ocirepository/signed", "-n", ns)
	if rev := artifactStatusOf(t, ns, "ocirepository/signed").revision; rev != "1.0.0@"+signed {
		t.Errorf("revision %q, want 1.0.0@%s", rev, signed)
	}

	unsigned := pushOCIFiles(t, reg, "signed/app", "1.1.0", map[string]string{"app.yaml": "kind: ConfigMap\n# unsigned\n"})
	kubectl(t, "annotate", "ocirepository", "signed", "-n", ns, "--overwrite",
		"reconcile.fluxcd.io/requestedAt="+time.Now().Format(time.RFC3339Nano))
	kubectlWait(t, time.Minute, "--for=condition=SourceVerified=False", "ocirepository/signed", "-n", ns)
	reason, message := readyConditionOf(t, ns, "ocirepository/signed")
	if reason != "VerificationError" || !strings.Contains(message, unsigned) {
		t.Errorf("Ready reason %q message %q; want VerificationError naming %s", reason, message, unsigned)
	}
	if rev := artifactStatusOf(t, ns, "ocirepository/signed").revision; rev != "1.0.0@"+signed {
		t.Errorf("an unsigned artifact replaced the verified one: revision %q", rev)
	}
}

package build

import (
	"context"
	"strings"
	"testing"

	"filippo.io/age"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/kustomize/decrypt/sopstest"
)

const plainSecret = `apiVersion: v1
kind: Secret
metadata:
  name: db
type: Opaque
stringData:
  password: s3cr3t
  url: postgres://${db_host}/app
data:
  token: dG9rZW4=
`

// encryptedTree is an artifact with a SOPS-encrypted Secret and a ConfigMap,
// without a kustomization file, and the identity that decrypts it.
func encryptedTree(t *testing.T) (string, *age.X25519Identity) {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	encrypted := sopstest.Encrypt(t, plainSecret, id.Recipient().String())
	if strings.Contains(encrypted, "s3cr3t") {
		t.Fatal("the test Secret is not actually encrypted")
	}
	return writeTree(t, map[string]string{"apps/secret.yaml": encrypted, "apps/cm.yaml": configMap}), id
}

func keysClient(identity string) *fake.Clientset {
	return fake.NewClientset(&corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "sops-age", Namespace: "flux"},
		Data:       map[string][]byte{"identity.agekey": []byte(identity)},
	})
}

func decryptingSpec() v1alpha1.KustomizationSpec {
	return v1alpha1.KustomizationSpec{
		Path:            "apps",
		TargetNamespace: "prod",
		CommonMetadata:  &v1alpha1.CommonMetadata{Labels: map[string]string{"team": "blue"}},
		Decryption:      &v1alpha1.Decryption{Provider: "sops", SecretRef: &v1alpha1.LocalObjectReference{Name: "sops-age"}},
		PostBuild:       &v1alpha1.PostBuild{Substitute: map[string]string{"db_host": "db.prod"}},
	}
}

func TestBuildDecryptsSOPSEncryptedSecrets(t *testing.T) {
	root, id := encryptedTree(t)
	client := keysClient(id.String())
	objects := mustBuild(t, Input{Root: root, Kustomization: kustomization(decryptingSpec()), Secrets: client.CoreV1()})

	secret := find(t, objects, "Secret", "db")
	if _, found := secret.Object["sops"]; found {
		t.Error("the SOPS metadata is still in the built Secret")
	}
	if got := field(t, secret, "stringData", "password"); got != "s3cr3t" {
		t.Errorf("stringData.password = %v, want it decrypted", got)
	}
	if got := field(t, secret, "data", "token"); got != "dG9rZW4=" {
		t.Errorf("data.token = %v, want it decrypted", got)
	}
	// Decrypted before substitution, as in Flux, so encrypted values may
	// use variables too.
	if got := field(t, secret, "stringData", "url"); got != "postgres://db.prod/app" {
		t.Errorf("stringData.url = %v, want the decrypted value substituted", got)
	}
	// Kustomize changed the Secret (namespace) before decryption.
	if secret.GetNamespace() != "prod" || secret.GetLabels()["team"] != "blue" {
		t.Errorf("namespace %q, labels %v: want the overlays kept", secret.GetNamespace(), secret.GetLabels())
	}
}

func TestBuildRefusesAnEncryptedSecretWithoutDecryption(t *testing.T) {
	root, _ := encryptedTree(t)
	spec := decryptingSpec()
	spec.Decryption = nil
	_, err := Build(context.Background(), Input{Root: root, Kustomization: kustomization(spec)})
	if err == nil || !strings.Contains(err.Error(), "Secret/prod/db") || !strings.Contains(err.Error(), "spec.decryption") {
		t.Errorf("err = %v, want one naming the Secret and spec.decryption", err)
	}
}

func TestBuildDecryptionFailureNamesTheSecret(t *testing.T) {
	root, _ := encryptedTree(t)
	other, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	client := keysClient(other.String())
	_, err = Build(context.Background(), Input{Root: root, Kustomization: kustomization(decryptingSpec()), Secrets: client.CoreV1()})
	if err == nil || !strings.Contains(err.Error(), "Secret/prod/db") {
		t.Fatalf("err = %v, want one naming the Secret", err)
	}
	if strings.Contains(err.Error(), "AGE-SECRET-KEY") {
		t.Errorf("error %q shows key material", err)
	}
}

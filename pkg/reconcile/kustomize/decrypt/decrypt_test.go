package decrypt

import (
	"context"
	"strings"
	"testing"

	"filippo.io/age"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/kubernetes/fake"
	"sigs.k8s.io/yaml"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/kustomize/decrypt/sopstest"
)

const secretManifest = `apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: apps
type: Opaque
stringData:
  password: s3cr3t
data:
  token: dG9rZW4=
`

func newIdentity(t *testing.T) *age.X25519Identity {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// keySecret is the decryption Secret in namespace "flux" holding data.
func keySecret(data map[string]string) *corev1.Secret {
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "sops-keys", Namespace: "flux"}, Data: map[string][]byte{}}
	for k, v := range data {
		secret.Data[k] = []byte(v)
	}
	return secret
}

func sopsSpec() *v1alpha1.Decryption {
	return &v1alpha1.Decryption{Provider: "sops", SecretRef: &v1alpha1.LocalObjectReference{Name: "sops-keys"}}
}

func newDecryptor(t *testing.T, data map[string]string) (*Decryptor, error) {
	t.Helper()
	client := fake.NewClientset(keySecret(data))
	return New(context.Background(), client.CoreV1(), "flux", sopsSpec())
}

func parse(t *testing.T, manifest string) *unstructured.Unstructured {
	t.Helper()
	obj := &unstructured.Unstructured{}
	if err := yaml.Unmarshal([]byte(manifest), &obj.Object); err != nil {
		t.Fatal(err)
	}
	return obj
}

func TestDecryptsASecretEncryptedWithAge(t *testing.T) {
	id := newIdentity(t)
	obj := parse(t, sopstest.Encrypt(t, secretManifest, id.Recipient().String()))
	if !IsEncrypted(obj) {
		t.Fatal("the encrypted Secret is not recognised as SOPS-encrypted")
	}
	if strings.Contains(mustJSON(t, obj), "s3cr3t") {
		t.Fatal("the test Secret is not actually encrypted")
	}
	other := newIdentity(t)
	d, err := newDecryptor(t, map[string]string{
		"other.agekey": other.String(),
		"main.agekey":  "# created by age-keygen\n" + id.String() + "\n",
		"README":       "not a key",
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Decrypt(obj); err != nil {
		t.Fatal(err)
	}
	if IsEncrypted(obj) || obj.Object["sops"] != nil {
		t.Errorf("the SOPS metadata is still there: %v", obj.Object)
	}
	if got, _, _ := unstructured.NestedString(obj.Object, "stringData", "password"); got != "s3cr3t" {
		t.Errorf("stringData.password = %q, want s3cr3t", got)
	}
	if got, _, _ := unstructured.NestedString(obj.Object, "data", "token"); got != "dG9rZW4=" {
		t.Errorf("data.token = %q, want dG9rZW4=", got)
	}
	if got, _, _ := unstructured.NestedString(obj.Object, "type"); got != "Opaque" {
		t.Errorf("type = %q, the unencrypted field changed", got)
	}
}

func TestPlainObjectsAreNotEncrypted(t *testing.T) {
	if IsEncrypted(parse(t, secretManifest)) {
		t.Error("a plain Secret is reported as encrypted")
	}
	if IsEncrypted(parse(t, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {sops: yes}\n")) {
		t.Error("a ConfigMap with a key named sops is reported as encrypted")
	}
}

func TestDecryptWithTheWrongKeyNamesTheObjectAndNoKey(t *testing.T) {
	id, wrong := newIdentity(t), newIdentity(t)
	obj := parse(t, sopstest.Encrypt(t, secretManifest, id.Recipient().String()))
	d, err := newDecryptor(t, map[string]string{"wrong.agekey": wrong.String()})
	if err != nil {
		t.Fatal(err)
	}
	err = d.Decrypt(obj)
	if err == nil {
		t.Fatal("decrypting with the wrong key succeeded")
	}
	t.Logf("error: %v", err)
	if !strings.Contains(err.Error(), "Secret/apps/db") {
		t.Errorf("error %q does not name the Secret", err)
	}
	if strings.Contains(err.Error(), "AGE-SECRET-KEY") {
		t.Errorf("error %q shows key material", err)
	}
}

func TestTamperedValueIsRefused(t *testing.T) {
	id := newIdentity(t)
	obj := parse(t, sopstest.Encrypt(t, secretManifest, id.Recipient().String()))
	// Move the encrypted password to another key: AES-GCM authenticates
	// the field path, so the value must not decrypt there.
	value, _, _ := unstructured.NestedString(obj.Object, "stringData", "password")
	unstructured.RemoveNestedField(obj.Object, "stringData", "password")
	if err := unstructured.SetNestedField(obj.Object, value, "stringData", "moved"); err != nil {
		t.Fatal(err)
	}
	d, err := newDecryptor(t, map[string]string{"k.agekey": id.String()})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Decrypt(obj); err == nil || !strings.Contains(err.Error(), "Secret/apps/db") {
		t.Fatalf("decrypting a moved value: err = %v, want an error naming Secret/apps/db", err)
	}
}

func TestNewRefusesBadSpecsAndKeys(t *testing.T) {
	ctx := context.Background()
	client := fake.NewClientset(keySecret(map[string]string{"bad.agekey": "AGE-SECRET-KEY-NOTAKEY"}))
	_, err := New(ctx, client.CoreV1(), "flux", &v1alpha1.Decryption{Provider: "vault"})
	if err == nil || !strings.Contains(err.Error(), "spec.decryption.provider") {
		t.Errorf("provider vault: err = %v, want one naming spec.decryption.provider", err)
	}
	_, err = New(ctx, client.CoreV1(), "flux", sopsSpec())
	if err == nil || !strings.Contains(err.Error(), `"bad.agekey"`) || strings.Contains(err.Error(), "NOTAKEY") {
		t.Errorf("invalid identity: err = %v, want one naming the key but not its value", err)
	}
	_, err = New(ctx, client.CoreV1(), "elsewhere", sopsSpec())
	if err == nil || !strings.Contains(err.Error(), "spec.decryption.secretRef") || !strings.Contains(err.Error(), "sops-keys") {
		t.Errorf("missing Secret: err = %v, want one naming spec.decryption.secretRef and the Secret", err)
	}
}

func TestDecryptWithoutSecretRefSaysSo(t *testing.T) {
	id := newIdentity(t)
	obj := parse(t, sopstest.Encrypt(t, secretManifest, id.Recipient().String()))
	d, err := New(context.Background(), nil, "flux", &v1alpha1.Decryption{Provider: "sops"})
	if err != nil {
		t.Fatal(err)
	}
	err = d.Decrypt(obj)
	if err == nil || !strings.Contains(err.Error(), "no age identities") {
		t.Errorf("err = %v, want one saying there are no age identities", err)
	}
}

func mustJSON(t *testing.T, obj *unstructured.Unstructured) string {
	t.Helper()
	data, err := obj.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

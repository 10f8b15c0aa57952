package decrypt

import (
	"fmt"

	"github.com/getsops/sops/v3"
	"github.com/getsops/sops/v3/aes"
	"github.com/getsops/sops/v3/config"
	"github.com/getsops/sops/v3/keyservice"
	sopsjson "github.com/getsops/sops/v3/stores/json"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// sopsField is the top-level field SOPS adds to a file it encrypted.
const sopsField = "sops"

// IsEncrypted reports whether obj is a SOPS-encrypted manifest.
func IsEncrypted(obj *unstructured.Unstructured) bool {
	metadata, ok := obj.Object[sopsField].(map[string]any)
	return ok && metadata["mac"] != nil
}

// Decrypt replaces the encrypted values of obj with their plaintext and
// removes the SOPS metadata. Errors name the object, never key material.
func (d *Decryptor) Decrypt(obj *unstructured.Unstructured) (err error) {
	name := objectName(obj)
	// SOPS has panicked on malformed input before; one bad manifest must
	// not take the server down.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: SOPS decryption failed: %v", name, r)
		}
	}()
	encrypted, err := obj.MarshalJSON()
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	store := sopsjson.NewStore(&config.JSONStoreConfig{})
	tree, err := store.LoadEncryptedFile(encrypted)
	if err != nil {
		return fmt.Errorf("%s: not a valid SOPS document: %w", name, err)
	}
	keys := &ageKeyService{identities: d.identities}
	dataKey, err := tree.Metadata.GetDataKeyWithKeyServices([]keyservice.KeyServiceClient{keys}, sops.DefaultDecryptionOrder)
	if err != nil {
		return fmt.Errorf("%s: cannot decrypt the SOPS data key: %s", name, keys.failure())
	}
	if _, err := tree.Decrypt(dataKey, aes.NewCipher()); err != nil {
		return fmt.Errorf("%s: SOPS decryption failed: %w", name, err)
	}
	plain, err := store.EmitPlainFile(tree.Branches)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	decrypted := &unstructured.Unstructured{}
	if err := decrypted.UnmarshalJSON(plain); err != nil {
		return fmt.Errorf("%s: the decrypted object is not valid: %w", name, err)
	}
	obj.Object = decrypted.Object
	return nil
}

// objectName names an object in messages as Kind/namespace/name.
func objectName(obj *unstructured.Unstructured) string {
	if obj.GetNamespace() == "" {
		return obj.GetKind() + "/" + obj.GetName()
	}
	return obj.GetKind() + "/" + obj.GetNamespace() + "/" + obj.GetName()
}

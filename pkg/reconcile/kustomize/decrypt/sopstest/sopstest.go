// Package sopstest encrypts manifests for tests exactly as
// `sops --encrypt --age <recipient> --encrypted-regex '^(data|stringData)$'`
// does, with the SOPS library itself.
package sopstest

import (
	"crypto/rand"
	"testing"
	"time"

	"github.com/getsops/sops/v3"
	"github.com/getsops/sops/v3/aes"
	sopsage "github.com/getsops/sops/v3/age"
	"github.com/getsops/sops/v3/config"
	sopsyaml "github.com/getsops/sops/v3/stores/yaml"
)

// EncryptedRegex is the --encrypted-regex Flux's guide uses for Secrets.
const EncryptedRegex = "^(data|stringData)$"

// Encrypt returns manifest (YAML, one document) encrypted to the age
// recipient, with the data key, the MAC and the metadata sops writes.
func Encrypt(t testing.TB, manifest, recipient string) string {
	t.Helper()
	store := sopsyaml.NewStore(&config.YAMLStoreConfig{})
	branches, err := store.LoadPlainFile([]byte(manifest))
	if err != nil {
		t.Fatalf("loading the manifest to encrypt: %v", err)
	}
	key, err := sopsage.MasterKeyFromRecipient(recipient)
	if err != nil {
		t.Fatalf("age recipient: %v", err)
	}
	tree := sops.Tree{Branches: branches, Metadata: sops.Metadata{
		KeyGroups:      []sops.KeyGroup{{key}},
		EncryptedRegex: EncryptedRegex,
		LastModified:   time.Now().UTC(),
		Version:        "3.13.3",
	}}
	dataKey := make([]byte, 32)
	if _, err := rand.Read(dataKey); err != nil {
		t.Fatal(err)
	}
	if err := key.Encrypt(dataKey); err != nil {
		t.Fatalf("encrypting the data key: %v", err)
	}
	cipher := aes.NewCipher()
	mac, err := tree.Encrypt(dataKey, cipher)
	if err != nil {
		t.Fatalf("encrypting: %v", err)
	}
	tree.Metadata.MessageAuthenticationCode, err = cipher.Encrypt(mac, dataKey, tree.Metadata.LastModified.Format(time.RFC3339))
	if err != nil {
		t.Fatalf("encrypting the MAC: %v", err)
	}
	out, err := store.EmitEncryptedFile(tree)
	if err != nil {
		t.Fatalf("writing the encrypted manifest: %v", err)
	}
	return string(out)
}

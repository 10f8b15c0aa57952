// Package decrypt decrypts SOPS-encrypted objects with age identities, the
// way Flux's kustomize-controller does for spec.decryption.provider "sops".
//
// New (keys.go) reads the identities from the Secret spec.decryption.secretRef
// names: every key ending in ".agekey" holds one or more age identities.
// Decrypt (sops.go) decrypts an object that has a top-level "sops" field,
// such as a Secret written by `sops --encrypt --age ... --encrypted-regex
// '^(data|stringData)$'`, with the SOPS library itself.
//
// As in Flux, the SOPS message authentication code is not checked: kustomize
// changes unencrypted fields (namespace, labels, name prefixes) of the object
// before it is decrypted, which the MAC covers. Each encrypted value is
// still authenticated by AES-GCM, with its field path as additional data.
package decrypt

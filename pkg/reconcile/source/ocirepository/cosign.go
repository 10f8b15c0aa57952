package ocirepository

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// cosign keeps an artifact's signatures in the same repository, at the tag
// sha256-<hex>.sig: layers whose payload names the signed manifest digest,
// each with its signature in an annotation.
const (
	cosignSignatureAnnotation = "dev.cosignproject.cosign/signature"
	maxSignaturePayload       = 1 << 20
)

// verifyCosign succeeds when a signature stored for digest verifies with
// one of keys.
func verifyCosign(repo name.Repository, digest v1.Hash, access registryAccess, keys []crypto.PublicKey) error {
	tag := repo.Tag(digest.Algorithm + "-" + digest.Hex + ".sig")
	signatures, err := remote.Image(tag, access.options...)
	if err != nil {
		return verificationFailed("no signature of '%s' found: %v", digest, err)
	}
	manifest, err := signatures.Manifest()
	if err != nil {
		return verificationFailed("reading the signatures of '%s': %v", digest, err)
	}
	for _, desc := range manifest.Layers {
		signature, err := base64.StdEncoding.DecodeString(desc.Annotations[cosignSignatureAnnotation])
		if err != nil || len(signature) == 0 {
			continue
		}
		payload, err := layerBytes(signatures, desc.Digest)
		if err != nil {
			return verificationFailed("reading a signature of '%s': %v", digest, err)
		}
		if signedDigest(payload) == digest.String() && verifiesWithAny(keys, payload, signature) {
			return nil
		}
	}
	return verificationFailed("no signature of '%s' verifies with the given keys", digest)
}

func layerBytes(image v1.Image, digest v1.Hash) ([]byte, error) {
	layer, err := image.LayerByDigest(digest)
	if err != nil {
		return nil, err
	}
	blob, err := layer.Compressed()
	if err != nil {
		return nil, err
	}
	defer blob.Close()
	return io.ReadAll(io.LimitReader(blob, maxSignaturePayload))
}

// signedDigest is the manifest digest a cosign payload vouches for.
func signedDigest(payload []byte) string {
	var simpleSigning struct {
		Critical struct {
			Image struct {
				Digest string `json:"docker-manifest-digest"`
			} `json:"image"`
		} `json:"critical"`
	}
	if json.Unmarshal(payload, &simpleSigning) != nil {
		return ""
	}
	return simpleSigning.Critical.Image.Digest
}

// verifiesWithAny checks signature over payload the way cosign signs with
// each kind of key.
func verifiesWithAny(keys []crypto.PublicKey, payload, signature []byte) bool {
	sum := sha256.Sum256(payload)
	for _, key := range keys {
		switch k := key.(type) {
		case *ecdsa.PublicKey:
			if ecdsa.VerifyASN1(k, sum[:], signature) {
				return true
			}
		case *rsa.PublicKey:
			if rsa.VerifyPKCS1v15(k, crypto.SHA256, sum[:], signature) == nil {
				return true
			}
		case ed25519.PublicKey:
			if ed25519.Verify(k, payload, signature) {
				return true
			}
		}
	}
	return false
}

package ocirepository

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"maps"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
	"gitops.io/apiserver/test/ociregistry"
)

func newKey(t *testing.T) *ecdsa.PrivateKey {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func TestCosignSignatureVerifiesOnlyWithItsKey(t *testing.T) {
	reg := ociregistry.Start(t, ociregistry.Options{})
	signed, err := v1.NewHash(pushFiles(t, reg, "app", "signed", map[string]string{"app.yaml": "a"}))
	if err != nil {
		t.Fatal(err)
	}
	unsigned, err := v1.NewHash(pushFiles(t, reg, "app", "unsigned", map[string]string{"app.yaml": "b"}))
	if err != nil {
		t.Fatal(err)
	}
	key, other := newKey(t), newKey(t)
	reg.Sign(t, "app", signed, key)
	repo, err := parseURL(reg.URL("app"), true)
	if err != nil {
		t.Fatal(err)
	}

	if err := verifyCosign(repo, signed, registryAccess{}, []crypto.PublicKey{&other.PublicKey, &key.PublicKey}); err != nil {
		t.Errorf("a signature made with one of the keys: %v", err)
	}
	failure := assertFailure(t, verifyCosign(repo, signed, registryAccess{}, []crypto.PublicKey{&other.PublicKey}),
		v1alpha1.VerificationErrorReason, "verifies with the given keys")
	if failure.Condition != source.SourceVerifiedCondition || failure.Stalled {
		t.Errorf("failure %+v; want SourceVerified, retried", failure)
	}
	assertFailure(t, verifyCosign(repo, unsigned, registryAccess{}, []crypto.PublicKey{&key.PublicKey}),
		v1alpha1.VerificationErrorReason, "no signature of '"+unsigned.String()+"' found")
}

func TestVerifiedArtifactIsSourceVerifiedAndAFailureIsFalse(t *testing.T) {
	obj := ociRepository("oci://registry.example/app", nil)
	obj.Spec.Verify = &v1alpha1.OCIRepositoryVerification{Provider: v1alpha1.VerificationProviderCosign,
		SecretRef: &v1alpha1.LocalObjectReference{Name: "cosign-keys"}}
	obj.Status.Artifact = &v1alpha1.Artifact{Revision: "latest@sha256:1234"}
	summarize(obj, nil)
	if got := conditionsOf(obj)["SourceVerified"]; got != "True/Succeeded" {
		t.Errorf("SourceVerified %q after a verified pull", got)
	}
	summarize(obj, verificationFailed("no signature verifies"))
	want := map[string]string{
		"Ready":             "False/VerificationError",
		"SourceVerified":    "False/VerificationError",
		"Reconciling":       "True/ProgressingWithRetry",
		"ArtifactInStorage": "True/Succeeded",
	}
	if got := conditionsOf(obj); !maps.Equal(got, want) {
		t.Errorf("conditions %v, want %v", got, want)
	}
	obj.Spec.Verify = nil
	summarize(obj, nil)
	if _, ok := conditionsOf(obj)["SourceVerified"]; ok {
		t.Error("SourceVerified stays without spec.verify")
	}
}

func TestPublicKeysAreThePubValuesOfTheSecret(t *testing.T) {
	key := newKey(t)
	keys, err := publicKeys(credsRef, secret(map[string]string{"cosign.pub": string(ociregistry.PublicKeyPEM(t, key)), "notes": "not a key"}).Data)
	if err != nil || len(keys) != 1 {
		t.Fatalf("keys %v, %v; want the one *.pub", keys, err)
	}
	_, err = publicKeys(credsRef, secret(map[string]string{"cosign.pub": "garbage"}).Data)
	assertFailure(t, err, v1alpha1.VerificationErrorReason, "cosign.pub of Secret 'ns/creds' is not a PEM public key")
	_, err = publicKeys(credsRef, secret(map[string]string{"cosign.key": "private"}).Data)
	assertFailure(t, err, v1alpha1.VerificationErrorReason, "no *.pub public key")
}

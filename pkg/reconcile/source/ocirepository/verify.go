package ocirepository

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// verificationFailedReason is Flux's reason for a signature that does not verify.
const verificationFailedReason = "VerificationError"

func verificationFailed(format string, args ...any) *outcome.Failure {
	e := source.FetchFailed(verificationFailedReason, format, args...)
	e.Condition = source.SourceVerifiedCondition
	return e
}

// verifySignature checks rev's cosign signature with the public keys
// (the *.pub values) of spec.verify.secretRef, as Flux does with keys:
// offline, without a transparency log. It runs on every reconcile, so a
// signature taken away is noticed too.
func (r *Reconciler) verifySignature(ctx context.Context, obj *v1alpha1.OCIRepository, plan *pullPlan) error {
	if obj.Spec.Verify == nil {
		return nil
	}
	secret, err := r.getSecret(ctx, obj, obj.Spec.Verify.SecretRef, "verify.secretRef")
	if err != nil {
		return err
	}
	keys, err := publicKeys(secret)
	if err != nil {
		return err
	}
	return verifyCosign(plan.repo, plan.revision.digest, plan.access, keys)
}

// publicKeys parses the *.pub values of secret, PEM public keys as cosign
// writes them.
func publicKeys(secret *corev1.Secret) ([]crypto.PublicKey, error) {
	var keys []crypto.PublicKey
	for key, value := range secret.Data {
		if !strings.HasSuffix(key, ".pub") {
			continue
		}
		block, _ := pem.Decode(value)
		if block == nil {
			return nil, verificationFailed("%s of Secret '%s/%s' is not a PEM public key", key, secret.Namespace, secret.Name)
		}
		publicKey, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, verificationFailed("%s of Secret '%s/%s': %v", key, secret.Namespace, secret.Name, err)
		}
		keys = append(keys, publicKey)
	}
	if len(keys) == 0 {
		return nil, verificationFailed("Secret '%s/%s' has no *.pub public key", secret.Namespace, secret.Name)
	}
	return keys, nil
}

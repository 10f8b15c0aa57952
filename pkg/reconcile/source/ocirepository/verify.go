package ocirepository

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"strings"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/pkg/reconcile/secretref"
	"gitops.io/apiserver/pkg/reconcile/source"
)

func verificationFailed(format string, args ...any) *outcome.Failure {
	e := source.FetchFailed(v1alpha1.VerificationErrorReason, format, args...)
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
	ref := secretRef(obj, obj.Spec.Verify.SecretRef.Name, "spec.verify.secretRef")
	data, err := secretref.Reader{Secrets: r.Secrets}.Secret(ctx, ref)
	if err != nil {
		return authenticationFailed(err)
	}
	keys, err := publicKeys(ref, data)
	if err != nil {
		return err
	}
	return verifyCosign(plan.repo, plan.revision.digest, plan.access, keys)
}

// publicKeys parses the *.pub values of the Secret ref names, PEM public
// keys as cosign writes them.
func publicKeys(ref secretref.Ref, data map[string][]byte) ([]crypto.PublicKey, error) {
	var keys []crypto.PublicKey
	for key, value := range data {
		if !strings.HasSuffix(key, ".pub") {
			continue
		}
		block, _ := pem.Decode(value)
		if block == nil {
			return nil, verificationFailed("%s: %s of Secret '%s' is not a PEM public key", ref.Field, key, ref)
		}
		publicKey, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, verificationFailed("%s: %s of Secret '%s': %v", ref.Field, key, ref, err)
		}
		keys = append(keys, publicKey)
	}
	if len(keys) == 0 {
		return nil, verificationFailed("%s: Secret '%s' has no *.pub public key", ref.Field, ref)
	}
	return keys, nil
}

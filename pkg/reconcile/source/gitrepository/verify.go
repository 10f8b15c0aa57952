package gitrepository

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	git "github.com/go-git/go-git/v5"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/pkg/reconcile/secretref"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// verificationMode is spec.verify.mode with 'head' spelt HEAD, or "" when
// nothing is to be verified.
func verificationMode(obj *v1alpha1.GitRepository) v1alpha1.GitVerificationMode {
	v := obj.Spec.Verification
	switch {
	case v == nil:
		return ""
	case v.Mode == "" || v.Mode == v1alpha1.GitVerifyHEADLowercase:
		return v1alpha1.GitVerifyHEAD
	}
	return v.Mode
}

func observedVerificationMode(obj *v1alpha1.GitRepository) v1alpha1.GitVerificationMode {
	if m := obj.Status.SourceVerificationMode; m != nil {
		return *m
	}
	return ""
}

// verifySignatures checks the OpenPGP signatures spec.verify asks for,
// against the armored public keys in its Secret (any key of it). A
// revision that fails is not stored; the last good artifact stays.
func (r *Reconciler) verifySignatures(ctx context.Context, obj *v1alpha1.GitRepository, dir string, rev remoteRevision) error {
	mode := verificationMode(obj)
	if mode == "" {
		return nil
	}
	keyRings, err := r.verificationKeys(ctx, obj)
	if err != nil {
		return err
	}
	return verifyRevision(dir, rev, mode, keyRings)
}

// verifyRevision checks the signatures mode asks for of rev, checked out in
// dir, with any of keyRings.
func verifyRevision(dir string, rev remoteRevision, mode v1alpha1.GitVerificationMode, keyRings []string) error {
	repo, err := git.PlainOpen(dir)
	if err != nil {
		return err
	}
	if mode == v1alpha1.GitVerifyTag || mode == v1alpha1.GitVerifyTagAndHEAD {
		if rev.tag.IsZero() {
			return verificationFailed(v1alpha1.InvalidTagSignatureReason, "verify mode %s needs an annotated tag; %s is not one", mode, rev)
		}
		tag, err := repo.TagObject(rev.tag)
		if err != nil {
			return err
		}
		if err := verifyWithAny(keyRings, tag.Verify); err != nil {
			return verificationFailed(v1alpha1.InvalidTagSignatureReason, "signature of tag '%s': %v", rev.label, err)
		}
	}
	if mode == v1alpha1.GitVerifyHEAD || mode == v1alpha1.GitVerifyTagAndHEAD {
		commit, err := repo.CommitObject(rev.commit)
		if err != nil {
			return err
		}
		if err := verifyWithAny(keyRings, commit.Verify); err != nil {
			return verificationFailed(v1alpha1.InvalidCommitSignatureReason, "signature of commit '%s': %v", rev.commit, err)
		}
	}
	return nil
}

// verificationKeys reads the armored key rings of spec.verify.secretRef,
// in the order of their keys.
func (r *Reconciler) verificationKeys(ctx context.Context, obj *v1alpha1.GitRepository) ([]string, error) {
	ref := secretref.Ref{Namespace: obj.Namespace, Name: obj.Spec.Verification.SecretRef.Name, Field: "spec.verify.secretRef"}
	data, err := secretref.Reader{Secrets: r.Secrets}.Secret(ctx, ref)
	switch {
	case errors.Is(err, secretref.ErrNotFound):
		return nil, verificationFailed(v1alpha1.InvalidCommitSignatureReason, "%w", err)
	case err != nil:
		// Not a signature that failed: the keys could not be read.
		return nil, verificationFailed(v1alpha1.AuthenticationFailedReason, "%w", err)
	}
	keys := slices.Sorted(maps.Keys(data))
	var keyRings []string
	for _, key := range keys {
		keyRings = append(keyRings, string(data[key]))
	}
	if len(keyRings) == 0 {
		return nil, verificationFailed(v1alpha1.InvalidCommitSignatureReason, "%s: Secret '%s' holds no public keys", ref.Field, ref)
	}
	return keyRings, nil
}

// verifyWithAny succeeds when one of the key rings verifies the signature.
func verifyWithAny[E any](keyRings []string, verify func(armoredKeyRing string) (E, error)) error {
	var errs []error
	for _, keyRing := range keyRings {
		_, err := verify(keyRing)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return fmt.Errorf("no key verifies it: %w", errors.Join(errs...))
}

func verificationFailed(reason, format string, args ...any) *outcome.Failure {
	return &outcome.Failure{Condition: source.SourceVerifiedCondition, Reason: reason, Err: fmt.Errorf(format, args...)}
}

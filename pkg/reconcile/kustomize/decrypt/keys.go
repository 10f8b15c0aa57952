package decrypt

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	sopsage "github.com/getsops/sops/v3/age"
	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/secretref"
)

// ageKeySuffix marks the keys of the decryption Secret that hold age
// identities, as in Flux.
const ageKeySuffix = ".agekey"

// Decryptor decrypts SOPS-encrypted objects with the age identities of one
// Kustomization.
type Decryptor struct {
	identities sopsage.ParsedIdentities
}

// New reads the age identities of spec.decryption from the Secret it names
// in namespace. Without a secretRef there are no identities, and decrypting
// fails with a message saying so.
func New(ctx context.Context, secrets corev1client.SecretsGetter, namespace string, spec *v1alpha1.Decryption) (*Decryptor, error) {
	if spec.Provider != v1alpha1.DecryptionProviderSOPS {
		return nil, fmt.Errorf("spec.decryption.provider %q is not supported, use %q", spec.Provider, v1alpha1.DecryptionProviderSOPS)
	}
	d := &Decryptor{}
	if spec.SecretRef == nil {
		return d, nil
	}
	ref := secretref.Ref{Namespace: namespace, Name: spec.SecretRef.Name, Field: "spec.decryption.secretRef"}
	data, err := secretref.Reader{Secrets: secrets}.Secret(ctx, ref)
	if err != nil {
		return nil, err
	}
	for _, key := range slices.Sorted(maps.Keys(data)) {
		if !strings.HasSuffix(key, ageKeySuffix) {
			continue
		}
		// The parse error is not wrapped: it could quote the key material.
		if err := d.identities.Import(string(data[key])); err != nil {
			return nil, fmt.Errorf("spec.decryption.secretRef: Secret/%s key %q does not hold valid age identities", ref.Name, key)
		}
	}
	return d, nil
}

package decrypt

import (
	"context"
	"fmt"
	"sort"
	"strings"

	sopsage "github.com/getsops/sops/v3/age"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
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
	name := spec.SecretRef.Name
	if secrets == nil {
		return nil, fmt.Errorf("spec.decryption.secretRef: no Secret client to read Secret/%s with", name)
	}
	secret, err := secrets.Secrets(namespace).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return nil, fmt.Errorf("spec.decryption.secretRef: %w", err)
	}
	keys := make([]string, 0, len(secret.Data))
	for key := range secret.Data {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	for _, key := range keys {
		if !strings.HasSuffix(key, ageKeySuffix) {
			continue
		}
		// The parse error is not wrapped: it could quote the key material.
		if err := d.identities.Import(string(secret.Data[key])); err != nil {
			return nil, fmt.Errorf("spec.decryption.secretRef: Secret/%s key %q does not hold valid age identities", name, key)
		}
	}
	return d, nil
}

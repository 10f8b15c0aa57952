package decrypt

import (
	"context"
	"errors"
	"slices"
	"strings"

	sopsage "github.com/getsops/sops/v3/age"
	"github.com/getsops/sops/v3/keyservice"
	"google.golang.org/grpc"
)

// ageKeyService answers SOPS's data key requests with the identities of
// one Kustomization only. SOPS's own local key service reads identities from
// the process environment and files in the home directory, which would mix
// tenants' keys; this one never looks anywhere else and does no network.
//
// It also remembers why keys failed: SOPS's own error only counts the key
// groups that failed, and its detailed form is laid out for a terminal.
type ageKeyService struct {
	identities sopsage.ParsedIdentities
	failures   []string
}

var _ keyservice.KeyServiceClient = &ageKeyService{}

var (
	errNotAge       = errors.New("only age keys can be used, this key is of another kind")
	errNoIdentities = errors.New("no age identities: spec.decryption.secretRef names no Secret with .agekey keys")
)

// Decrypt decrypts the data key age-encrypted to one recipient.
func (s *ageKeyService) Decrypt(_ context.Context, req *keyservice.DecryptRequest, _ ...grpc.CallOption) (*keyservice.DecryptResponse, error) {
	plaintext, err := s.decrypt(req)
	if err != nil {
		s.failures = append(s.failures, err.Error())
		return nil, err
	}
	return &keyservice.DecryptResponse{Plaintext: plaintext}, nil
}

func (s *ageKeyService) decrypt(req *keyservice.DecryptRequest) ([]byte, error) {
	ageKey := req.GetKey().GetAgeKey()
	if ageKey == nil {
		return nil, errNotAge
	}
	if len(s.identities) == 0 {
		return nil, errNoIdentities
	}
	key := &sopsage.MasterKey{Recipient: ageKey.GetRecipient(), EncryptedKey: string(req.GetCiphertext())}
	s.identities.ApplyToMasterKey(key)
	return key.Decrypt()
}

// failure summarises why no key could decrypt the data key.
func (s *ageKeyService) failure() string {
	if len(s.failures) == 0 {
		return "no age key"
	}
	return strings.Join(slices.Compact(s.failures), "; ")
}

// Encrypt is not needed to decrypt and is refused.
func (*ageKeyService) Encrypt(context.Context, *keyservice.EncryptRequest, ...grpc.CallOption) (*keyservice.EncryptResponse, error) {
	return nil, errors.New("encryption is not supported")
}

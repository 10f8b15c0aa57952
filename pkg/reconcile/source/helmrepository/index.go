package helmrepository

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	chart "helm.sh/helm/v4/pkg/chart/v2"
	repo "helm.sh/helm/v4/pkg/repo/v1"
	"sigs.k8s.io/yaml"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// maxIndexSize is the largest index.yaml downloaded, Flux's default.
const maxIndexSize = 50 << 20

// fetchedIndex is a downloaded index.yaml and its revision.
type fetchedIndex struct {
	data []byte
	// revision is the digest of data, '<algorithm>:<hex>'.
	revision string
}

// fetchIndex downloads <spec.url>/index.yaml and checks that it reads as
// a Helm repository index.
func fetchIndex(ctx context.Context, access *Access) (fetchedIndex, error) {
	target := access.URL.JoinPath("index.yaml").String()
	data, err := access.Get(ctx, target, maxIndexSize)
	if errors.Is(err, ErrUnauthorized) {
		return fetchedIndex{}, source.FetchFailed(v1alpha1.AuthenticationFailedReason, "failed to fetch index: %w", err)
	}
	if err != nil {
		return fetchedIndex{}, source.FetchFailed(v1alpha1.IndexationFailedReason, "failed to fetch index: %w", err)
	}
	if _, err := LoadIndex(data); err != nil {
		return fetchedIndex{}, source.FetchFailed(v1alpha1.IndexationFailedReason, "failed to read index from %s: %v", access.URL.Redacted(), err)
	}
	sum := sha256.Sum256(data)
	return fetchedIndex{data: data, revision: "sha256:" + hex.EncodeToString(sum[:])}, nil
}

// LoadIndex reads a Helm repository index (YAML or JSON), its chart
// versions sorted newest first. Entries Helm cannot read are dropped,
// as helm does.
func LoadIndex(data []byte) (*repo.IndexFile, error) {
	var index repo.IndexFile
	if len(data) == 0 {
		return nil, errors.New("the index is empty")
	}
	if err := yaml.Unmarshal(data, &index); err != nil {
		return nil, fmt.Errorf("the index is not YAML: %v", err)
	}
	if index.APIVersion == "" {
		return nil, errors.New("the index has no apiVersion")
	}
	for name, versions := range index.Entries {
		valid := versions[:0]
		for _, v := range versions {
			if v == nil || v.Metadata == nil {
				continue
			}
			if v.APIVersion == "" {
				v.APIVersion = chart.APIVersionV1
			}
			if v.Validate() == nil {
				valid = append(valid, v)
			}
		}
		index.Entries[name] = valid
	}
	index.SortEntries()
	return &index, nil
}

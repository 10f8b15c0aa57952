package gitstore

import (
	"context"

	"k8s.io/apiserver/pkg/storage"
)

// Stats implements storage.Interface.
func (s *Store) Stats(ctx context.Context) (storage.Stats, error) {
	count, size := s.log.Count(s.resourcePrefix)
	stats := storage.Stats{ObjectCount: count}
	if count > 0 && s.sizeEstimation.Load() {
		stats.EstimatedAverageObjectSizeBytes = size / count
	}
	return stats, nil
}

// ReadinessCheck implements storage.Interface: the index is in memory and
// the repository is local, so an open store is ready.
func (s *Store) ReadinessCheck() error { return nil }

// GetCurrentResourceVersion implements storage.Interface.
func (s *Store) GetCurrentResourceVersion(ctx context.Context) (uint64, error) {
	return s.log.Revision(), nil
}

// EnableResourceSizeEstimation implements storage.Interface. Sizes come from
// the in-memory index, so the keys function is not needed.
func (s *Store) EnableResourceSizeEstimation(storage.KeysFunc) error {
	s.sizeEstimation.Store(true)
	return nil
}

// CompactRevision implements storage.Interface.
func (s *Store) CompactRevision() int64 { return int64(s.log.CompactedRevision()) }

package gitstore

import (
	"bytes"
	"context"
	"errors"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/storage"

	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
)

// GuaranteedUpdate implements storage.Interface: read, tryUpdate, and
// compare-and-swap on the key's revision, again until no one else got in
// between. Reads come from memory, so a cached object saves nothing and the
// current one is always used.
func (s *Store) GuaranteedUpdate(ctx context.Context, key string, destination runtime.Object, ignoreNotFound bool,
	preconditions *storage.Preconditions, tryUpdate storage.UpdateFunc, cachedExistingObject runtime.Object) error {
	key, err := s.prepareKey(key, false)
	if err != nil {
		return err
	}
	for {
		e, _ := s.log.Get(key)
		existing := s.newFunc()
		var rev uint64
		if e == nil {
			if !ignoreNotFound {
				return storage.NewKeyNotFoundError(key, 0)
			}
		} else {
			if err := s.decode(e.Object, e.Revision, existing); err != nil {
				return err
			}
			rev = e.Revision
		}
		if preconditions != nil {
			if err := preconditions.Check(key, existing); err != nil {
				return err
			}
		}
		updated, _, err := tryUpdate(existing, storage.ResponseMeta{ResourceVersion: rev})
		if err != nil {
			return err
		}
		data, err := s.encode(updated)
		if err != nil {
			return err
		}
		if e != nil && bytes.Equal(data, e.Object) {
			return s.decode(e.Object, e.Revision, destination)
		}
		var written *revlog.Entry
		if e == nil {
			written, err = s.log.Create(ctx, key, data, authorFrom(ctx))
		} else {
			written, err = s.log.Update(ctx, key, data, e.Revision, authorFrom(ctx))
		}
		if errors.Is(err, revlog.ErrConflict) || errors.Is(err, revlog.ErrKeyExists) || errors.Is(err, revlog.ErrNotFound) {
			continue
		}
		if err != nil {
			return s.writeError(key, err)
		}
		return s.decode(written.Object, written.Revision, destination)
	}
}

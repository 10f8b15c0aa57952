// Package gitstore implements k8s.io/apiserver's storage.Interface over a Git
// repository, so genericregistry.Store serves objects whose desired state is
// a branch of clean manifests. Layers: this package (the storage.Interface
// surface), revlog (revisions, index, events), gitrepo (Git objects and refs),
// layout (where and how an object is written).
package gitstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/conversion"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apiserver/pkg/storage"

	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
)

// Store is the storage of one resource. Many stores share one revlog.Log.
type Store struct {
	log            *revlog.Log
	codec          runtime.Codec
	versioner      storage.Versioner
	resourcePrefix string
	groupResource  schema.GroupResource
	newFunc        func() runtime.Object
	sizeEstimation atomic.Bool

	progressMu       sync.Mutex
	progressRequests map[*watcher]chan struct{} // watches that take bookmarks
}

var _ storage.Interface = &Store{}

// Config describes the resource a Store serves.
type Config struct {
	Codec         runtime.Codec
	NewFunc       func() runtime.Object
	GroupResource schema.GroupResource
	// ResourcePrefix is the key prefix of the resource, e.g. "/kustomizations".
	// Its last element names the folder of the resource in the repository.
	ResourcePrefix string
}

// New returns the storage of one resource in log.
func New(log *revlog.Log, cfg Config) (*Store, error) {
	prefix := cfg.ResourcePrefix
	if prefix == "" || prefix == "/" {
		return nil, fmt.Errorf("resource prefix of %s must not be empty", cfg.GroupResource)
	}
	if prefix[len(prefix)-1] != '/' {
		prefix += "/"
	}
	return &Store{
		log:            log,
		codec:          cfg.Codec,
		versioner:      storage.APIObjectVersioner{},
		resourcePrefix: prefix,
		groupResource:  cfg.GroupResource,
		newFunc:        cfg.NewFunc,

		progressRequests: map[*watcher]chan struct{}{},
	}, nil
}

func (s *Store) Versioner() storage.Versioner { return s.versioner }

func (s *Store) prepareKey(key string, recursive bool) (string, error) {
	return storage.PrepareKey(s.resourcePrefix, key, recursive)
}

// decode fills out with a stored object at its revision.
func (s *Store) decode(data []byte, rev uint64, out runtime.Object) error {
	if _, err := conversion.EnforcePtr(out); err != nil {
		return fmt.Errorf("unable to convert output object to pointer: %v", err)
	}
	if _, _, err := s.codec.Decode(data, nil, out); err != nil {
		return storage.NewCorruptObjError(string(data[:min(len(data), 64)]), err)
	}
	return s.versioner.UpdateObject(out, rev)
}

func (s *Store) encode(obj runtime.Object) ([]byte, error) {
	if err := s.versioner.PrepareObjectForStorage(obj); err != nil {
		return nil, fmt.Errorf("PrepareObjectForStorage failed: %v", err)
	}
	return runtime.Encode(s.codec, obj)
}

// Create implements storage.Interface.
func (s *Store) Create(ctx context.Context, key string, obj, out runtime.Object, ttl uint64) error {
	key, err := s.prepareKey(key, false)
	if err != nil {
		return err
	}
	if version, err := s.versioner.ObjectResourceVersion(obj); err == nil && version != 0 {
		return storage.ErrResourceVersionSetOnCreate
	}
	data, err := s.encode(obj)
	if err != nil {
		return err
	}
	e, err := s.log.Create(ctx, key, data, authorFrom(ctx))
	if err != nil {
		return s.writeError(key, err)
	}
	if out == nil {
		return nil
	}
	return s.decode(e.Object, e.Revision, out)
}

func (s *Store) writeError(key string, err error) error {
	switch {
	case errors.Is(err, revlog.ErrKeyExists):
		return storage.NewKeyExistsError(key, 0)
	case errors.Is(err, revlog.ErrNotFound):
		return storage.NewKeyNotFoundError(key, 0)
	case errors.Is(err, revlog.ErrTooLarge):
		return apierrors.NewRequestEntityTooLargeError(err.Error())
	}
	return storage.NewInternalError(err)
}

// Get implements storage.Interface.
func (s *Store) Get(ctx context.Context, key string, opts storage.GetOptions, out runtime.Object) error {
	key, err := s.prepareKey(key, false)
	if err != nil {
		return err
	}
	e, rev := s.log.Get(key)
	if err := s.checkMinimumRevision(opts.ResourceVersion, rev); err != nil {
		return err
	}
	if e == nil {
		if opts.IgnoreNotFound {
			return runtime.SetZeroValue(out)
		}
		return storage.NewKeyNotFoundError(key, 0)
	}
	return s.decode(e.Object, e.Revision, out)
}

// checkMinimumRevision enforces "data at least as new as resourceVersion".
func (s *Store) checkMinimumRevision(resourceVersion string, current uint64) error {
	if resourceVersion == "" {
		return nil
	}
	minimum, err := s.versioner.ParseResourceVersion(resourceVersion)
	if err != nil {
		return apierrors.NewBadRequest(fmt.Sprintf("invalid resource version: %v", err))
	}
	if minimum > current {
		return storage.NewTooLargeResourceVersionError(minimum, current, 0)
	}
	return nil
}

// Delete implements storage.Interface. A concurrent change between reading
// the object and deleting it makes it check and try again.
func (s *Store) Delete(ctx context.Context, key string, out runtime.Object, preconditions *storage.Preconditions,
	validateDeletion storage.ValidateObjectFunc, cachedExistingObject runtime.Object, opts storage.DeleteOptions) error {
	key, err := s.prepareKey(key, false)
	if err != nil {
		return err
	}
	if opts.ExpectTransformOrDecodeError {
		return storage.NewInternalError(errors.New("objects in this store always decode; unsafe deletion does not apply"))
	}
	for {
		e, _ := s.log.Get(key)
		if e == nil {
			return storage.NewKeyNotFoundError(key, 0)
		}
		existing := s.newFunc()
		if err := s.decode(e.Object, e.Revision, existing); err != nil {
			return err
		}
		if preconditions != nil {
			if err := preconditions.Check(key, existing); err != nil {
				return err
			}
		}
		if err := validateDeletion(ctx, existing); err != nil {
			return err
		}
		deleted, err := s.log.Delete(ctx, key, e.Revision, authorFrom(ctx))
		if errors.Is(err, revlog.ErrConflict) {
			continue
		}
		if err != nil {
			return s.writeError(key, err)
		}
		return s.decode(deleted.Object, deleted.Revision, out)
	}
}

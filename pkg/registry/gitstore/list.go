package gitstore

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/conversion"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/storage"

	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
)

// GetList implements storage.Interface: label and field selectors, limit and
// continue, and ResourceVersionMatch Exact (an older revision, from history)
// and NotOlderThan.
func (s *Store) GetList(ctx context.Context, key string, opts storage.ListOptions, listObj runtime.Object) error {
	keyPrefix, err := s.prepareKey(key, opts.Recursive)
	if err != nil {
		return err
	}
	listPtr, err := meta.GetItemsPtr(listObj)
	if err != nil {
		return err
	}
	v, err := conversion.EnforcePtr(listPtr)
	if err != nil || v.Kind() != reflect.Slice {
		return fmt.Errorf("need ptr to slice: %v", err)
	}
	withRev, continueKey, err := storage.ValidateListOptions(keyPrefix, s.versioner, opts)
	if err != nil {
		return err
	}
	current := s.log.Revision()
	rev := current
	if withRev > 0 {
		rev = uint64(withRev)
		if rev > current {
			return storage.NewTooLargeResourceVersionError(rev, current, 0)
		}
	} else if opts.ResourceVersionMatch != metav1.ResourceVersionMatchExact || opts.ResourceVersion == "" {
		if err := s.checkMinimumRevision(opts.ResourceVersion, current); err != nil {
			return err
		}
	}
	if opts.ResourceVersionMatch == metav1.ResourceVersionMatchExact && rev == 0 {
		return apierrors.NewBadRequest("resourceVersionMatch=Exact needs a resourceVersion other than 0")
	}

	pred := opts.Predicate
	newItem := func() runtime.Object { return reflect.New(v.Type().Elem()).Interface().(runtime.Object) }
	var (
		lastKey   string
		count     int64 // keys from the start of this page to the end of the range
		hasMore   bool
		matched   int64
		decodeErr error
	)
	visit := func(e *revlog.Entry) bool {
		if !opts.Recursive && e.Key != keyPrefix {
			return false
		}
		count++
		if hasMore {
			return true // only counting what is left
		}
		if pred.Limit > 0 && matched >= pred.Limit {
			hasMore = true
			return true
		}
		obj := newItem()
		if err := s.decode(e.Object, e.Revision, obj); err != nil {
			decodeErr = err
			return false
		}
		lastKey = e.Key
		if ok, err := pred.Matches(obj); err != nil {
			decodeErr = err
			return false
		} else if ok {
			v.Set(reflect.Append(v, reflect.ValueOf(obj).Elem()))
			matched++
		}
		return true
	}
	start := continueKey
	if !opts.Recursive {
		start = keyPrefix
	}
	if rev == current {
		rev = s.log.Range(keyPrefix, start, visit)
	} else if err := s.log.RangeAt(keyPrefix, start, rev, visit); err != nil {
		if errors.Is(err, revlog.ErrCompacted) {
			return s.compactedListError(len(pred.Continue) > 0, continueKey, keyPrefix)
		}
		return storage.NewInternalError(err)
	}
	if decodeErr != nil {
		return decodeErr
	}
	// count covers the range from the page's start, as etcd's does.
	continueValue, remaining, err := storage.PrepareContinueToken(lastKey, keyPrefix, int64(rev), count, hasMore, opts)
	if err != nil {
		return err
	}
	if v.IsNil() {
		v.Set(reflect.MakeSlice(v.Type(), 0, 0))
	}
	return s.versioner.UpdateList(listObj, rev, continueValue, remaining)
}

func (s *Store) compactedListError(paging bool, continueKey, keyPrefix string) error {
	if !paging {
		return apierrors.NewResourceExpired("The resourceVersion for the provided list is too old.")
	}
	// A token at revision -1 lets the client go on at the newest revision.
	token, err := storage.EncodeContinue(continueKey, keyPrefix, -1)
	if err != nil {
		return apierrors.NewResourceExpired("The provided continue parameter is too old.")
	}
	status := apierrors.NewResourceExpired("The provided continue parameter is too old " +
		"to display a consistent list result. You can start a new list without " +
		"the continue parameter, or use the continue token in this response to " +
		"retrieve the remainder of the results. Continuing with the provided " +
		"token results in an inconsistent list - objects that were created, " +
		"modified, or deleted between the time the first chunk was returned " +
		"and now may show up in the list.")
	status.ErrStatus.ListMeta.Continue = token
	return status
}

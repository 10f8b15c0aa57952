package gitstore_test

import (
	"context"
	"testing"

	"gitops.io/apiserver/pkg/registry/gitstore"
	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
	"gitops.io/apiserver/test/storagebench"
)

// openLog opens (or reopens) the storage repository in dir.
func openLog(t testing.TB, dir string, mutate ...func(*revlog.Options)) *revlog.Log {
	t.Helper()
	opts := revlog.Options{Path: dir, PollInterval: 50e6}
	for _, m := range mutate {
		m(&opts)
	}
	l, err := revlog.Open(opts)
	if err != nil {
		t.Fatalf("opening storage repository: %v", err)
	}
	return l
}

// podStore serves upstream's example Pods under "/pods/", as its tests expect.
func podStore(t testing.TB, l *revlog.Log) *gitstore.Store {
	t.Helper()
	s, err := storagebench.GitStore(l)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// setup gives a fresh store in a new repository.
func setup(t testing.TB) (context.Context, *gitstore.Store, *revlog.Log) {
	l := openLog(t, t.TempDir())
	t.Cleanup(l.Close)
	return context.Background(), podStore(t, l), l
}

package storagebench

import (
	"context"
	"runtime"
	"time"

	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
)

// Startup is what opening a storage repository costs.
type Startup struct {
	Objects, Commits int
	Took             time.Duration
	HeapPerObject    float64 // bytes of Go heap per stored object once open
}

// MeasureStartup writes n objects one commit each into a new repository in
// dir, then times opening it again and weighs the heap it takes.
func MeasureStartup(ctx context.Context, dir string, n int) (Startup, error) {
	l, err := revlog.Open(revlog.Options{Path: dir})
	if err != nil {
		return Startup{}, err
	}
	s, err := GitStore(l)
	if err != nil {
		return Startup{}, err
	}
	objects := pods("startup", n)
	if _, err := rate(n, 1, func(i int) error { return create(ctx, s, objects[i]) }); err != nil {
		return Startup{}, err
	}
	l.Close()

	before := heapInUse()
	start := time.Now()
	l, err = revlog.Open(revlog.Options{Path: dir})
	if err != nil {
		return Startup{}, err
	}
	took := time.Since(start)
	defer l.Close()
	after := heapInUse()
	return Startup{Objects: n, Commits: n, Took: took, HeapPerObject: (float64(after) - float64(before)) / float64(n)}, nil
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

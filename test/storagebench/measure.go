package storagebench

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/apiserver/pkg/apis/example"
	"k8s.io/apiserver/pkg/storage"
	storagetesting "k8s.io/apiserver/pkg/storage/testing"
)

// Sizes of one run.
type Sizes struct {
	Writes      int // creates (and updates) per write measurement
	Rounds      int // of the write measurements, alternating the stores
	Concurrency int // writers in the concurrent measurements
	ListObjects int // objects in the listed namespace
	Gets        int
	Watches     int
}

// pods makes n pods in namespace from upstream's exemplar pod (1.4 KiB of
// JSON each as an example Pod).
func pods(namespace string, n int) []*example.Pod {
	data := storagetesting.PrepareBenchmarkData(1, n, 100)
	for _, p := range data.Pods {
		p.Namespace = namespace
		p.ResourceVersion = ""
	}
	return data.Pods
}

func key(p *example.Pod) string { return "/pods/" + p.Namespace + "/" + p.Name }

// Writes are one round's write rates, per second.
type Writes struct {
	SeqCreates, ConcCreates, SeqUpdates, ConcUpdates float64
}

// MeasureWrites creates and then updates sz.Writes pods, one at a time and
// with sz.Concurrency writers, in namespaces of their own for round.
func MeasureWrites(ctx context.Context, s storage.Interface, sz Sizes, round int) (Writes, error) {
	var w Writes
	var err error
	seq := pods(fmt.Sprintf("seq-%d", round), sz.Writes)
	if w.SeqCreates, err = rate(sz.Writes, 1, func(i int) error { return create(ctx, s, seq[i]) }); err != nil {
		return w, err
	}
	conc := pods(fmt.Sprintf("conc-%d", round), sz.Writes)
	if w.ConcCreates, err = rate(sz.Writes, sz.Concurrency, func(i int) error { return create(ctx, s, conc[i]) }); err != nil {
		return w, err
	}
	if w.SeqUpdates, err = rate(sz.Writes, 1, func(i int) error { return touch(ctx, s, key(seq[i]), i) }); err != nil {
		return w, err
	}
	w.ConcUpdates, err = rate(sz.Writes, sz.Concurrency, func(i int) error { return touch(ctx, s, key(conc[i]), i) })
	return w, err
}

// MedianWrites is each rate's median over rounds.
func MedianWrites(rounds []Writes) Writes {
	median := func(rate func(Writes) float64) float64 {
		rates := make([]float64, len(rounds))
		for i, w := range rounds {
			rates[i] = rate(w)
		}
		sort.Float64s(rates)
		return rates[len(rates)/2]
	}
	return Writes{
		SeqCreates:  median(func(w Writes) float64 { return w.SeqCreates }),
		ConcCreates: median(func(w Writes) float64 { return w.ConcCreates }),
		SeqUpdates:  median(func(w Writes) float64 { return w.SeqUpdates }),
		ConcUpdates: median(func(w Writes) float64 { return w.ConcUpdates }),
	}
}

// Reads are the read and watch latencies.
type Reads struct {
	List, Get, WatchLatency time.Duration
}

// MeasureReads lists sz.ListObjects pods, gets them and times watch events.
func MeasureReads(ctx context.Context, s storage.Interface, sz Sizes) (Reads, error) {
	var r Reads
	var err error
	listed := pods("listed", sz.ListObjects)
	if _, err = rate(sz.ListObjects, sz.Concurrency, func(i int) error { return create(ctx, s, listed[i]) }); err != nil {
		return r, err
	}
	if r.List, err = timeList(ctx, s, "/pods/listed", sz.ListObjects); err != nil {
		return r, err
	}
	if r.Get, err = average(sz.Gets, func(i int) error {
		return s.Get(ctx, key(listed[(i*7919)%len(listed)]), storage.GetOptions{}, &example.Pod{})
	}); err != nil {
		return r, err
	}
	r.WatchLatency, err = watchLatency(ctx, s, sz.Watches)
	return r, err
}

func create(ctx context.Context, s storage.Interface, p *example.Pod) error {
	return s.Create(ctx, key(p), p.DeepCopy(), &example.Pod{}, 0)
}

// touch changes a label, as a controller's update would.
func touch(ctx context.Context, s storage.Interface, k string, i int) error {
	return s.GuaranteedUpdate(ctx, k, &example.Pod{}, false, nil, func(in runtime.Object, _ storage.ResponseMeta) (runtime.Object, *uint64, error) {
		p := in.(*example.Pod)
		if p.Labels == nil {
			p.Labels = map[string]string{}
		}
		p.Labels["bench"] = fmt.Sprint(i)
		return p, nil, nil
	}, nil)
}

// rate runs op(0..n-1) on workers goroutines and returns operations per second.
func rate(n, workers int, op func(int) error) (float64, error) {
	var next atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				if err := op(i); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err, ok := firstErr.Load().(error); ok {
		return 0, err
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

func average(n int, op func(int) error) (time.Duration, error) {
	start := time.Now()
	for i := range n {
		if err := op(i); err != nil {
			return 0, err
		}
	}
	return time.Since(start) / time.Duration(n), nil
}

// timeList is the median of ten full lists of a namespace.
func timeList(ctx context.Context, s storage.Interface, prefix string, want int) (time.Duration, error) {
	var took []time.Duration
	for range 10 {
		list := &example.PodList{}
		start := time.Now()
		if err := s.GetList(ctx, prefix, storage.ListOptions{Predicate: storage.Everything, Recursive: true}, list); err != nil {
			return 0, err
		}
		took = append(took, time.Since(start))
		if len(list.Items) != want {
			return 0, fmt.Errorf("listed %d objects, want %d", len(list.Items), want)
		}
	}
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	return took[len(took)/2], nil
}

// watchLatency is the median time from starting a create to its watch event.
func watchLatency(ctx context.Context, s storage.Interface, n int) (time.Duration, error) {
	w, err := s.Watch(ctx, "/pods/watched", storage.ListOptions{ResourceVersion: "", Predicate: storage.Everything, Recursive: true,
		SendInitialEvents: new(bool)})
	if err != nil {
		return 0, err
	}
	defer w.Stop()
	var took []time.Duration
	for _, p := range pods("watched", n) {
		start := time.Now()
		if err := create(ctx, s, p); err != nil {
			return 0, err
		}
		select {
		case ev := <-w.ResultChan():
			if ev.Type != watch.Added {
				return 0, fmt.Errorf("watch event %s, want ADDED", ev.Type)
			}
		case <-time.After(10 * time.Second):
			return 0, fmt.Errorf("no watch event within 10s")
		}
		took = append(took, time.Since(start))
	}
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	return took[len(took)/2], nil
}

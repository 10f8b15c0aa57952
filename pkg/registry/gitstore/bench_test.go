package gitstore_test

import (
	"testing"

	"k8s.io/apiserver/pkg/storage"
	storagetesting "k8s.io/apiserver/pkg/storage/testing"
	"k8s.io/klog/v2"

	"gitops.io/apiserver/test/controlplane"
	"gitops.io/apiserver/test/storagebench"
)

// Upstream's storage benchmarks, run on the Git store and on the etcd3 store
// over a local etcd that fsyncs, side by side:
//
//	go test -run '^$' -bench Upstream ./pkg/registry/gitstore/
//
// test/storagebench prints the summary table that the README quotes.

// benchStores calls run once per store.
func benchStores(b *testing.B, run func(b *testing.B, s storage.Interface)) {
	klog.SetOutput(nopWriter{})
	b.Run("store=git", func(b *testing.B) {
		_, s, _ := setup(b)
		run(b, s)
	})
	b.Run("store=etcd3", func(b *testing.B) {
		p, url, err := controlplane.RunEtcd(controlplane.Options{Dir: b.TempDir(), Durable: true})
		if err != nil {
			b.Fatal(err)
		}
		defer p.Stop()
		s, destroy, err := storagebench.EtcdStore(url)
		if err != nil {
			b.Fatal(err)
		}
		defer destroy()
		run(b, s)
	})
}

type nopWriter struct{}

func (nopWriter) Write(p []byte) (int, error) { return len(p), nil }

func BenchmarkUpstreamWriteThroughput(b *testing.B) {
	data := storagetesting.PrepareBenchmarkData(10, 100, 50)
	benchStores(b, func(b *testing.B, s storage.Interface) {
		storagetesting.RunBenchmarkWriteThroughput(b.Context(), b, s, data, false, nil)
	})
}

func BenchmarkUpstreamStoreList(b *testing.B) {
	data := storagetesting.PrepareBenchmarkData(10, 1000, 100)
	benchStores(b, func(b *testing.B, s storage.Interface) {
		if err := storagetesting.PrecreateBenchmarkPods(b.Context(), s, data); err != nil {
			b.Fatal(err)
		}
		storagetesting.RunBenchmarkStoreList(b.Context(), b, s, data, false)
	})
}

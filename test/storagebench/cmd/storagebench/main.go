// Command storagebench prints a table comparing the Git store with the etcd3
// store over a local, fsyncing etcd, measured in the same run.
//
//	go run ./test/storagebench/cmd/storagebench [-writes 1000] [-list 10000]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"k8s.io/klog/v2"

	"gitops.io/apiserver/pkg/registry/gitstore/revlog"
	"gitops.io/apiserver/test/controlplane"
	"gitops.io/apiserver/test/storagebench"
)

func main() {
	var sz storagebench.Sizes
	flag.IntVar(&sz.Writes, "writes", 1000, "creates and updates per write measurement")
	flag.IntVar(&sz.Rounds, "rounds", 5, "rounds of the write measurements; the table shows their medians")
	flag.IntVar(&sz.Concurrency, "concurrency", 16, "writers in the concurrent measurements")
	flag.IntVar(&sz.ListObjects, "list", 10000, "objects in the listed namespace")
	flag.IntVar(&sz.Gets, "gets", 5000, "gets to average")
	flag.IntVar(&sz.Watches, "watches", 200, "watch events to time")
	startupObjects := flag.Int("startup", 10000, "objects (one commit each) in the start-up measurement")
	flag.Parse()
	if sz.Rounds < 1 || sz.Writes < 1 {
		fmt.Fprintln(os.Stderr, "storagebench: -rounds and -writes must be at least 1")
		os.Exit(2)
	}
	klog.SetOutput(os.Stderr)
	if err := run(sz, *startupObjects); err != nil {
		fmt.Fprintln(os.Stderr, "storagebench:", err)
		os.Exit(1)
	}
}

func run(sz storagebench.Sizes, startupObjects int) error {
	ctx := context.Background()
	work, err := os.MkdirTemp("", "storagebench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	etcd, url, err := controlplane.RunEtcd(controlplane.Options{Dir: work, Durable: true})
	if err != nil {
		return err
	}
	defer etcd.Stop()
	etcdStore, destroy, err := storagebench.EtcdStore(url)
	if err != nil {
		return err
	}
	defer destroy()
	log, err := revlog.Open(revlog.Options{Path: filepath.Join(work, "git")})
	if err != nil {
		return err
	}
	defer log.Close()
	gitStore, err := storagebench.GitStore(log)
	if err != nil {
		return err
	}
	// The stores take turns, so a slow spell of the machine hits both.
	var gitRounds, etcdRounds []storagebench.Writes
	for round := range sz.Rounds {
		fmt.Fprintf(os.Stderr, "measuring writes, round %d of %d ...\n", round+1, sz.Rounds)
		e, err := storagebench.MeasureWrites(ctx, etcdStore, sz, round)
		if err != nil {
			return fmt.Errorf("etcd3: %w", err)
		}
		g, err := storagebench.MeasureWrites(ctx, gitStore, sz, round)
		if err != nil {
			return fmt.Errorf("git: %w", err)
		}
		etcdRounds, gitRounds = append(etcdRounds, e), append(gitRounds, g)
	}
	fmt.Fprintln(os.Stderr, "measuring reads ...")
	etcdReads, err := storagebench.MeasureReads(ctx, etcdStore, sz)
	if err != nil {
		return fmt.Errorf("etcd3: %w", err)
	}
	gitReads, err := storagebench.MeasureReads(ctx, gitStore, sz)
	if err != nil {
		return fmt.Errorf("git: %w", err)
	}
	fmt.Fprintln(os.Stderr, "measuring git start-up ...")
	startup, err := storagebench.MeasureStartup(ctx, filepath.Join(work, "startup"), startupObjects)
	if err != nil {
		return fmt.Errorf("git start-up: %w", err)
	}
	printTable(sz, storagebench.MedianWrites(gitRounds), storagebench.MedianWrites(etcdRounds), gitReads, etcdReads, startup)
	return nil
}

func printTable(sz storagebench.Sizes, g, e storagebench.Writes, gr, er storagebench.Reads, st storagebench.Startup) {
	fmt.Printf("Write rates are medians of %d rounds of %d writes.\n\n", sz.Rounds, sz.Writes)
	fmt.Printf("| measurement | git store | etcd3 store | git / etcd3 |\n|---|---:|---:|---:|\n")
	perSecond := func(name string, a, b float64) {
		fmt.Printf("| %s | %.0f/s | %.0f/s | %.2f× |\n", name, a, b, a/b)
	}
	latency := func(name string, a, b time.Duration) {
		fmt.Printf("| %s | %s | %s | %.2f× |\n", name, round(a), round(b), float64(a)/float64(b))
	}
	perSecond("sequential creates", g.SeqCreates, e.SeqCreates)
	perSecond(fmt.Sprintf("%d-way concurrent creates", sz.Concurrency), g.ConcCreates, e.ConcCreates)
	perSecond("sequential updates", g.SeqUpdates, e.SeqUpdates)
	perSecond(fmt.Sprintf("%d-way concurrent updates", sz.Concurrency), g.ConcUpdates, e.ConcUpdates)
	latency(fmt.Sprintf("list of %d objects (median)", sz.ListObjects), gr.List, er.List)
	latency("get (mean)", gr.Get, er.Get)
	latency("create to watch event (median)", gr.WatchLatency, er.WatchLatency)
	fmt.Printf("| start-up, %d objects and %d commits | %s | – | – |\n", st.Objects, st.Commits, round(st.Took))
	fmt.Printf("| Go heap per stored object | %.0f B | – (held by etcd) | – |\n", st.HeapPerObject)
}

func round(d time.Duration) time.Duration {
	switch {
	case d > time.Second:
		return d.Round(time.Millisecond)
	case d > time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(100 * time.Nanosecond)
}

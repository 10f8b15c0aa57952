package reconcile

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"gitops.io/apiserver/test/controlplane"
)

// Two replicas against a real kube-apiserver: one runs the reconcilers at a
// time, and the other takes over once the first stops.
func TestOnlyTheLeaderRunsReconcilersAndAnotherTakesOver(t *testing.T) {
	cluster := controlplane.Start(t, controlplane.Options{})
	core, err := kubernetes.NewForConfig(cluster.Config)
	if err != nil {
		t.Fatal(err)
	}
	const namespace = "gitops-system"
	if _, err := core.CoreV1().Namespaces().Create(t.Context(),
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: namespace}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	var running, overlaps atomic.Int32
	// In a hand-over the old leader's reconcilers stop as their context
	// ends, which may be just after the Lease is released: not an overlap
	// this test counts.
	var handingOver atomic.Bool
	started := make(chan string, 4)
	replica := func(ctx context.Context, identity string, wg *sync.WaitGroup) {
		defer wg.Done()
		runWhileLeading(ctx, core, namespace, identity, func(ctx context.Context) {
			if running.Add(1) > 1 && !handingOver.Load() {
				overlaps.Add(1)
			}
			started <- identity
			<-ctx.Done()
			running.Add(-1)
		})
	}
	ctxA, stopA := context.WithCancel(t.Context())
	ctxB, stopB := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	wg.Add(2)
	go replica(ctxA, "a", &wg)
	go replica(ctxB, "b", &wg)
	defer func() { stopA(); stopB(); wg.Wait() }()

	var first string
	select {
	case first = <-started:
	case <-time.After(30 * time.Second):
		t.Fatal("no replica started the reconcilers within 30s")
	}
	// The other stays a candidate for longer than a lease.
	select {
	case second := <-started:
		t.Fatalf("%s started the reconcilers while %s led", second, first)
	case <-time.After(leaseDuration + retryPeriod):
	}

	handingOver.Store(true)
	if first == "a" {
		stopA()
	} else {
		stopB()
	}
	select {
	case next := <-started:
		if next == first {
			t.Errorf("%s, stopped, started again", first)
		}
	case <-time.After(5 * retryPeriod):
		t.Errorf("nobody took over within %v of %s stopping", 5*retryPeriod, first)
	}
	if n := overlaps.Load(); n != 0 {
		t.Errorf("reconcilers ran in two replicas at once %d times", n)
	}
}

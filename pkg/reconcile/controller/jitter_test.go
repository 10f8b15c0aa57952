package controller

import (
	"testing"
	"time"
)

func TestIntervalIsSpreadWithinFivePercent(t *testing.T) {
	interval := 10 * time.Minute
	low, high := interval-30*time.Second, interval+30*time.Second
	seen := map[time.Duration]bool{}
	for range 1000 {
		d := jittered(interval)
		if d < low || d > high {
			t.Fatalf("jittered(%s) = %s, outside [%s, %s]", interval, d, low, high)
		}
		seen[d] = true
	}
	// Objects created together must not all come back together.
	if len(seen) < 100 {
		t.Errorf("only %d different requeues in 1000", len(seen))
	}
}

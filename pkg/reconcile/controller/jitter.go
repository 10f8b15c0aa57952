package controller

import (
	"math/rand/v2"
	"time"
)

// intervalJitter is how far, as a fraction of it, the requeue after a
// success strays from the interval, as Flux's --interval-jitter-percentage
// (5) does: objects created together then do not all look again in the
// same second, every interval, forever.
const intervalJitter = 0.05

// jittered is interval moved by a random amount of up to intervalJitter
// of it, either way.
func jittered(interval time.Duration) time.Duration {
	spread := float64(interval) * intervalJitter
	return interval + time.Duration((rand.Float64()*2-1)*spread)
}

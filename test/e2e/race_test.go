//go:build race

package e2e

// raceEnabled builds gitops-apiserver with the race detector too when the
// tests run with -race (as `make test` does).
const raceEnabled = true

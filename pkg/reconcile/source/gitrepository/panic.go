package gitrepository

import "fmt"

// panicError is a panic recovered from a reconciliation.
type panicError struct{ value any }

func (p panicError) Error() string { return fmt.Sprintf("reconciler panicked: %v", p.value) }

package helmrelease

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
)

// valuesDigest identifies values, as status.lastAttemptedConfigDigest and
// history snapshots show it: the SHA-256 of their JSON, whose map keys are
// sorted, so equal values have equal digests. No values and empty values
// are the same.
func valuesDigest(values map[string]any) string {
	if values == nil {
		values = map[string]any{}
	}
	return digestOf(values)
}

// digestOf is the SHA-256 of v's JSON, spelt as artifacts' digests are.
func digestOf(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		// Values come from YAML and JSON and always marshal; should one
		// not, no digest matches it and the release is upgraded.
		return "sha256:unknown"
	}
	return fmt.Sprintf("sha256:%x", sha256.Sum256(data))
}

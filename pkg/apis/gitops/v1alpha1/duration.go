package v1alpha1

import (
	"encoding/json"
	"fmt"
	"time"
)

// Duration is a length of time written as a Go duration string ("5m",
// "1h30m"), as in Flux. Unlike metav1.Duration it keeps the text it was
// given: "10m" stays "10m" rather than becoming "10m0s", so two managers
// applying the same text with server-side apply agree; and text that does not
// parse is kept too, so validation refuses it with the field's path instead
// of the request failing to decode.
type Duration struct {
	time.Duration `json:"-"`
	// Text is what was written; empty for a Duration made in Go. It, not
	// Duration, is what is stored and served.
	Text string `json:"-"`
}

// NewDuration returns d as a Duration.
func NewDuration(d time.Duration) Duration { return Duration{Duration: d} }

// String is the text as written, or the Go form of a Duration made in Go.
func (d Duration) String() string {
	if d.Text != "" {
		return d.Text
	}
	return d.Duration.String()
}

// Parse checks that the text is a Go duration.
func (d Duration) Parse() error {
	if d.Text == "" {
		return nil
	}
	if _, err := time.ParseDuration(d.Text); err != nil {
		return fmt.Errorf("not a duration such as 30s, 5m or 1h: %w", err)
	}
	return nil
}

// UnmarshalJSON implements json.Unmarshaler. It never fails on a string, so
// that a bad value is reported by validation with its path.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var text string
	if err := json.Unmarshal(b, &text); err != nil {
		text = string(b) // a number, say: kept for validation to refuse
	}
	parsed, err := time.ParseDuration(text)
	if err != nil {
		parsed = 0
	}
	*d = Duration{Duration: parsed, Text: text}
	return nil
}

// MarshalJSON implements json.Marshaler.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.String())
}

// ToUnstructured implements value.UnstructuredConverter, as metav1.Duration
// does, so server-side apply sees the text.
func (d Duration) ToUnstructured() interface{} { return d.String() }

// OpenAPISchemaType is used by kube-openapi: a Duration is a string.
func (Duration) OpenAPISchemaType() []string { return []string{"string"} }

// OpenAPISchemaFormat is used by kube-openapi.
func (Duration) OpenAPISchemaFormat() string { return "" }

package v1alpha1_test

import (
	"encoding/json"
	"testing"
	"time"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

func TestDurationKeepsTheTextAsWritten(t *testing.T) {
	var d v1alpha1.Duration
	if err := json.Unmarshal([]byte(`"10m"`), &d); err != nil {
		t.Fatal(err)
	}
	if d.Duration != 10*time.Minute || d.Parse() != nil {
		t.Errorf("10m decoded as %v (%v)", d.Duration, d.Parse())
	}
	if out, _ := json.Marshal(d); string(out) != `"10m"` {
		t.Errorf("10m encoded as %s, want it unchanged", out)
	}
	if out, _ := json.Marshal(v1alpha1.NewDuration(90 * time.Second)); string(out) != `"1m30s"` {
		t.Errorf("a Duration made in Go encoded as %s", out)
	}
}

func TestDurationThatDoesNotParseDecodesForValidationToRefuse(t *testing.T) {
	for _, in := range []string{`"soon"`, `5`} {
		var d v1alpha1.Duration
		if err := json.Unmarshal([]byte(in), &d); err != nil {
			t.Fatalf("decoding %s failed: %v; validation must see it instead", in, err)
		}
		if d.Parse() == nil {
			t.Errorf("%s parsed as a duration", in)
		}
		if out, _ := json.Marshal(d); string(out) != `"`+d.String()+`"` || d.String() == "" {
			t.Errorf("%s is kept as %q", in, d.String())
		}
	}
}

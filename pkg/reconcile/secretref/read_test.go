package secretref

import (
	"errors"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Reading from a cluster is covered end to end by test/e2e; these are the
// messages, from the errors the API answers with.
func TestReadErrorsNameTheFieldAndTheObject(t *testing.T) {
	ref := Ref{Namespace: "ns", Name: "creds", Field: "spec.secretRef"}
	secrets := schema.GroupResource{Resource: "secrets"}
	for name, tc := range map[string]struct {
		err      func() error
		want     string
		notFound bool
	}{
		"missing Secret": {func() error { return getFailed("Secret", ref, apierrors.NewNotFound(secrets, "creds")) },
			"spec.secretRef: Secret 'ns/creds' not found", true},
		"forbidden": {func() error {
			return getFailed("Secret", ref, apierrors.NewForbidden(secrets, "creds", errors.New("no")))
		},
			"spec.secretRef: reading Secret 'ns/creds': ", false},
		"no Secret client": {func() error { _, err := (Reader{}).Secret(t.Context(), ref); return err },
			"spec.secretRef: cannot read Secret 'ns/creds': the server has no cluster connection", false},
		"no ConfigMap client": {func() error { _, err := (Reader{}).ConfigMap(t.Context(), ref); return err },
			"spec.secretRef: cannot read ConfigMap 'ns/creds': the server has no cluster connection", false},
	} {
		err := tc.err()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v; want an error saying %q", name, err, tc.want)
		}
		if errors.Is(err, ErrNotFound) != tc.notFound {
			t.Errorf("%s: errors.Is(%v, ErrNotFound) = %v, want %v", name, err, !tc.notFound, tc.notFound)
		}
	}
}

package secretref

import (
	"context"
	"errors"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

// The reading of Secrets is covered end to end by test/e2e; these cases
// are the messages of what a running cluster rarely shows.
func TestReaderNamesTheFieldAndTheObject(t *testing.T) {
	client := fake.NewClientset(&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "creds"},
		Data: map[string][]byte{"password": []byte("s3cret")}})
	ref := Ref{Namespace: "ns", Name: "creds", Field: "spec.secretRef"}
	missing := Ref{Namespace: "ns", Name: "gone", Field: "spec.secretRef"}
	ctx := context.Background()

	if data, err := (Reader{Secrets: client.CoreV1()}).Secret(ctx, ref); err != nil || string(data["password"]) != "s3cret" {
		t.Errorf("Secret = %v, %v; want its data", data, err)
	}
	for name, tc := range map[string]struct {
		read     func() error
		want     string
		notFound bool
	}{
		"missing Secret": {func() error { _, err := (Reader{Secrets: client.CoreV1()}).Secret(ctx, missing); return err },
			"spec.secretRef: Secret 'ns/gone' not found", true},
		"missing ConfigMap": {func() error { _, err := (Reader{ConfigMaps: client.CoreV1()}).ConfigMap(ctx, missing); return err },
			"spec.secretRef: ConfigMap 'ns/gone' not found", true},
		"no Secret client": {func() error { _, err := (Reader{}).Secret(ctx, ref); return err },
			"spec.secretRef: cannot read Secret 'ns/creds': the server has no cluster connection", false},
		"no ConfigMap client": {func() error { _, err := (Reader{Secrets: client.CoreV1()}).ConfigMap(ctx, ref); return err },
			"cannot read ConfigMap 'ns/creds': the server has no cluster connection", false},
	} {
		err := tc.read()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v; want an error saying %q", name, err, tc.want)
		}
		if errors.Is(err, ErrNotFound) != tc.notFound {
			t.Errorf("%s: errors.Is(%v, ErrNotFound) = %v, want %v", name, err, !tc.notFound, tc.notFound)
		}
	}
}

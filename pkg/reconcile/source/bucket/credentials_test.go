package bucket

import (
	"strings"
	"testing"

	"gitops.io/apiserver/pkg/reconcile/outcome"
	"gitops.io/apiserver/pkg/reconcile/source"
)

func TestCertSecretNeedsUsableKeys(t *testing.T) {
	for _, tc := range []struct {
		data map[string][]byte
		want string
	}{
		{map[string][]byte{"caFile": []byte("x")}, "has neither ca.crt nor tls.crt and tls.key"},
		{map[string][]byte{"ca.crt": []byte("not PEM")}, "ca.crt of Secret 'ns/tls' holds no PEM certificate"},
		{map[string][]byte{"tls.crt": []byte("not PEM")}, "tls.crt and tls.key of Secret 'ns/tls'"},
	} {
		_, err := tlsConfig("ns/tls", tc.data)
		if err == nil || !strings.Contains(err.Error(), tc.want) || outcome.Of(err, source.BucketOperationFailedReason).Reason != source.AuthenticationFailedReason {
			t.Errorf("Secret with %d keys: %v; want AuthenticationFailed saying %q", len(tc.data), err, tc.want)
		}
	}
}

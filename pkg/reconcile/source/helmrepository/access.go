package helmrepository

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	corev1client "k8s.io/client-go/kubernetes/typed/core/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// Access is how to reach a HelmRepository's server: its TLS settings and
// basic auth. The credentials go to the repository's own host only, unless
// spec.passCredentials lets chart URLs on other hosts have them too.
type Access struct {
	// URL is the repository's spec.url, parsed.
	URL             *url.URL
	client          *http.Client
	creds           credentials
	passCredentials bool
	insecure        bool
}

// NewAccess checks obj's URL and reads its Secrets. Its errors carry a Flux
// reason (see Reason): URLInvalid or AuthenticationFailed.
func NewAccess(ctx context.Context, secrets corev1client.SecretsGetter, obj *v1alpha1.HelmRepository) (*Access, error) {
	u, err := parseURL(obj)
	if err != nil {
		return nil, err
	}
	creds, err := readCredentials(ctx, secrets, obj)
	if err != nil {
		return nil, err
	}
	return newAccess(obj, u, creds), nil
}

func newAccess(obj *v1alpha1.HelmRepository, u *url.URL, creds credentials) *Access {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = creds.tls
	return &Access{
		URL:             u,
		client:          &http.Client{Transport: transport, Timeout: timeoutOf(obj)},
		creds:           creds,
		passCredentials: obj.Spec.PassCredentials,
		insecure:        obj.Spec.Insecure,
	}
}

// parseURL checks spec.url against spec.type.
func parseURL(obj *v1alpha1.HelmRepository) (*url.URL, error) {
	u, err := url.Parse(obj.Spec.URL)
	if err != nil {
		// url.Parse quotes the whole URL, password and all: say why from
		// the redacted URL only.
		redacted := source.RedactURL(obj.Spec.URL)
		cause := "not a URL"
		if _, err := url.Parse(redacted); err != nil {
			cause = unwrapURLError(err).Error()
		}
		return nil, source.Stalled(v1alpha1.URLInvalidReason, "invalid spec.url %q: %s", redacted, cause)
	}
	want := []string{"http", "https"}
	if obj.Spec.Type == v1alpha1.HelmRepositoryTypeOCI {
		want = []string{"oci"}
	}
	for _, scheme := range want {
		if u.Scheme == scheme && u.Host != "" {
			return u, nil
		}
	}
	return nil, source.Stalled(v1alpha1.URLInvalidReason, "invalid spec.url %q: want a %s URL with a host",
		u.Redacted(), strings.Join(want, " or "))
}

// Get downloads target, refusing more than limit bytes. A refusal of the
// credentials wraps ErrUnauthorized.
func (a *Access) Get(ctx context.Context, target string, limit int64) ([]byte, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	if a.creds.username != "" && (a.passCredentials || u.Host == a.URL.Host) {
		req.SetBasicAuth(a.creds.username, a.creds.password)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", u.Redacted(), unwrapURLError(err))
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return nil, fmt.Errorf("GET %s: %s: %w", u.Redacted(), resp.Status, ErrUnauthorized)
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("GET %s: %s", u.Redacted(), resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", u.Redacted(), err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("GET %s: larger than %d bytes", u.Redacted(), limit)
	}
	return data, nil
}

// unwrapURLError drops url.Error's repetition of method and URL.
func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

func timeoutOf(obj *v1alpha1.HelmRepository) time.Duration {
	if obj.Spec.Timeout != nil && obj.Spec.Timeout.Duration > 0 {
		return obj.Spec.Timeout.Duration
	}
	return v1alpha1.DefaultSourceTimeout
}

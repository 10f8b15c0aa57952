package provider

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Retries as Flux's: up to four after the first attempt, waiting from two
// to thirty seconds, on network errors and 5xx answers (and 429), all
// within the caller's context.
const (
	retryMax     = 4
	retryWaitMin = 2 * time.Second
	retryWaitMax = 30 * time.Second
)

// request is one POST of a sender.
type request struct {
	url  string
	body []byte
	// contentType is application/json unless set.
	contentType string
	headers     http.Header
	// username and password, if either is set, are sent as basic auth.
	username, password string
	// validate checks the answer; by default any 2xx is a success.
	validate func(*http.Response) error
}

// post sends r through client, retrying as Flux does.
func post(ctx context.Context, client *retryablehttp.Client, r request) error {
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodPost, r.url, r.body)
	if err != nil {
		return fmt.Errorf("failed to create a new request: %w", err)
	}
	contentType := r.contentType
	if contentType == "" {
		contentType = "application/json"
	}
	req.Header.Set("Content-Type", contentType)
	if r.username != "" || r.password != "" {
		req.SetBasicAuth(r.username, r.password)
	}
	for key, values := range r.headers {
		// The Secret's headers replace the defaults, as in Flux.
		req.Header.Del(key)
		for _, v := range values {
			req.Header.Add(key, v)
		}
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("failed to execute request: %w", err)
	}
	defer func() {
		// Read to the end, so that the connection is reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
	}()
	validate := r.validate
	if validate == nil {
		validate = anySuccess
	}
	if err := validate(resp); err != nil {
		return fmt.Errorf("request failed: %w", err)
	}
	return nil
}

// anySuccess accepts any 2xx answer.
func anySuccess(resp *http.Response) error {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return fmt.Errorf("request failed with status code %d: %s", resp.StatusCode, bytes.TrimSpace(body))
}

// newClient is the client a sender keeps for all its requests, with o's
// proxy and TLS settings: one transport, whose connections are reused.
func newClient(o Options) (*retryablehttp.Client, error) {
	client := retryablehttp.NewClient()
	transport := client.HTTPClient.Transport.(*http.Transport)
	if o.TLSConfig != nil {
		transport.TLSClientConfig = o.TLSConfig
	}
	if o.ProxyURL != "" {
		proxy, err := url.Parse(o.ProxyURL)
		if err != nil {
			return nil, fmt.Errorf("unable to parse proxy URL")
		}
		transport.Proxy = http.ProxyURL(proxy)
	}
	// The caller's context carries the Provider's timeout.
	client.HTTPClient.Timeout = 0
	client.RetryMax, client.RetryWaitMin, client.RetryWaitMax = retryMax, retryWaitMin, retryWaitMax
	client.Logger = nil
	return client, nil
}

// checkURL refuses what is not an absolute URL, as Flux's senders do.
func checkURL(kind, address string) error {
	if address == "" {
		return fmt.Errorf("no address: set spec.address or the address key of spec.secretRef's Secret")
	}
	if _, err := url.ParseRequestURI(address); err != nil {
		// The address may hold a secret (a Slack webhook's path): never
		// show it.
		return fmt.Errorf("the %s address is not a valid URL", kind)
	}
	return nil
}

// httpSender is a sender's client, which Close releases.
type httpSender struct{ client *retryablehttp.Client }

func newHTTPSender(o Options) (httpSender, error) {
	client, err := newClient(o)
	return httpSender{client: client}, err
}

func (h httpSender) closeIdleConnections() { h.client.HTTPClient.CloseIdleConnections() }

// Close releases what a sender holds (its idle connections) once it is
// no longer used.
func Close(s Sender) {
	if c, ok := s.(interface{ closeIdleConnections() }); ok {
		c.closeIdleConnections()
	}
}

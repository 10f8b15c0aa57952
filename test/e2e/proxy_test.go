package e2e

import (
	"crypto/subtle"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"strings"
	"sync/atomic"
	"testing"
)

// forwardProxy is an HTTP forward proxy on loopback that asks for basic
// auth and counts the requests it forwarded.
type forwardProxy struct {
	url       string
	forwarded atomic.Int64
}

func startForwardProxy(t *testing.T, user, password string) *forwardProxy {
	t.Helper()
	p := &forwardProxy{}
	// A forward proxy gets absolute URLs: the request already names where it goes.
	forward := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {}}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, pw, ok := parseProxyAuthorization(r.Header.Get("Proxy-Authorization"))
		if !ok || subtle.ConstantTimeCompare([]byte(u), []byte(user)) != 1 ||
			subtle.ConstantTimeCompare([]byte(pw), []byte(password)) != 1 {
			w.Header().Set("Proxy-Authenticate", `Basic realm="proxy"`)
			http.Error(w, "proxy authentication required", http.StatusProxyAuthRequired)
			return
		}
		if !r.URL.IsAbs() {
			http.Error(w, "not a proxy request", http.StatusBadRequest)
			return
		}
		p.forwarded.Add(1)
		forward.ServeHTTP(w, r)
	}))
	t.Cleanup(server.Close)
	p.url = server.URL
	return p
}

// parseProxyAuthorization reads a basic Proxy-Authorization header, the
// way net/http reads Authorization.
func parseProxyAuthorization(header string) (user, password string, ok bool) {
	if !strings.HasPrefix(header, "Basic ") {
		return "", "", false
	}
	r := &http.Request{Header: http.Header{"Authorization": {header}}}
	return r.BasicAuth()
}

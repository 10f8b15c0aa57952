// Package loopback starts the tests' servers on loopback, at an address of
// the test's choosing when it wants one: a test can point an object at an
// address where nothing listens yet, then bring the server up there.
package loopback

import (
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FreeAddr returns a loopback host:port nothing listens on right now.
// Another process may take it meanwhile; that is rare enough for tests.
func FreeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// NewUnstartedServer is httptest.NewUnstartedServer listening on addr, or
// on a free loopback port when addr is empty.
func NewUnstartedServer(t testing.TB, addr string, handler http.Handler) *httptest.Server {
	t.Helper()
	server := httptest.NewUnstartedServer(handler)
	if addr == "" {
		return server
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		server.Listener.Close()
		t.Fatalf("listening on %s: %v", addr, err)
	}
	server.Listener.Close()
	server.Listener = l
	return server
}

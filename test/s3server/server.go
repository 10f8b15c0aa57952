// Package s3server runs an S3 compatible server on loopback for tests:
// gofakes3 with its in-memory backend, served by httptest.
package s3server

import (
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// Server is an S3 server that only answers requests signed with its
// access key. It stops when the test ends.
type Server struct {
	// Endpoint is host:port, as a Bucket's spec.endpoint wants it.
	Endpoint string
	// CACert is the PEM certificate of a TLS server; nil for plain HTTP.
	CACert []byte

	accessKey string
	backend   *s3mem.Backend
	mu        sync.Mutex
	requests  []string
}

// Start serves plain HTTP, for Buckets with spec.insecure.
func Start(t testing.TB, accessKey string) *Server {
	s := newServer(accessKey)
	httpServer := httptest.NewServer(s.handler())
	t.Cleanup(httpServer.Close)
	s.Endpoint = strings.TrimPrefix(httpServer.URL, "http://")
	return s
}

// StartTLS serves https with a certificate of its own; CACert trusts it.
func StartTLS(t testing.TB, accessKey string) *Server {
	s := newServer(accessKey)
	httpServer := httptest.NewTLSServer(s.handler())
	t.Cleanup(httpServer.Close)
	s.Endpoint = strings.TrimPrefix(httpServer.URL, "https://")
	s.CACert = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: httpServer.Certificate().Raw})
	return s
}

func newServer(accessKey string) *Server {
	return &Server{accessKey: accessKey, backend: s3mem.New()}
}

// handler checks the access key, then lets gofakes3 answer.
//
// gofakes3 does not check credentials at all, so this checks the access
// key id of the AWS Signature V4 Authorization header: enough to refuse a
// wrong access key or an anonymous request. It does not verify the
// signature itself, so a wrong secret key with the right access key id
// passes.
func (s *Server) handler() http.Handler {
	fake := gofakes3.New(s.backend).Server()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, r.Method+" "+r.URL.Path)
		s.mu.Unlock()
		accessKey, signed := accessKeyID(r.Header.Get("Authorization"))
		switch {
		case !signed:
			refuse(w, "AccessDenied", "Access Denied")
		case accessKey != s.accessKey:
			refuse(w, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
		default:
			fake.ServeHTTP(w, r)
		}
	})
}

// accessKeyID reads the access key id from "AWS4-HMAC-SHA256
// Credential=<id>/<date>/<region>/s3/aws4_request, SignedHeaders=...".
func accessKeyID(authorization string) (string, bool) {
	rest, ok := strings.CutPrefix(authorization, "AWS4-HMAC-SHA256 Credential=")
	if !ok {
		return "", false
	}
	id, _, ok := strings.Cut(rest, "/")
	return id, ok
}

func refuse(w http.ResponseWriter, code, message string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(http.StatusForbidden)
	fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message></Error>", code, message)
}

// CreateBucket makes an empty bucket.
func (s *Server) CreateBucket(t testing.TB, name string) {
	t.Helper()
	if err := s.backend.CreateBucket(name); err != nil {
		t.Fatalf("creating bucket %s: %v", name, err)
	}
}

// Put writes an object, as an upload through the API would.
func (s *Server) Put(t testing.TB, bucket, key, content string) {
	t.Helper()
	// gofakes3 keeps the headers of an upload as metadata; clients need
	// Last-Modified.
	meta := map[string]string{"Last-Modified": time.Now().UTC().Format(http.TimeFormat)}
	_, err := s.backend.PutObject(bucket, key, meta, strings.NewReader(content), int64(len(content)), nil)
	if err != nil {
		t.Fatalf("putting %s/%s: %v", bucket, key, err)
	}
}

// Delete removes an object.
func (s *Server) Delete(t testing.TB, bucket, key string) {
	t.Helper()
	if _, err := s.backend.DeleteObject(bucket, key); err != nil {
		t.Fatalf("deleting %s/%s: %v", bucket, key, err)
	}
}

// Requests returns "METHOD /path" of every request so far, refused ones
// included.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

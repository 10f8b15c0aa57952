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

	"gitops.io/apiserver/test/loopback"
)

// Server is an S3 server that only answers requests signed (AWS Signature
// Version 4) with its access and secret key. It stops when the test ends.
type Server struct {
	// Endpoint is host:port, as a Bucket's spec.endpoint wants it.
	Endpoint string
	// CACert is the PEM certificate of a TLS server; nil for plain HTTP.
	CACert []byte

	accessKey, secretKey string
	backend              *s3mem.Backend
	mu                   sync.Mutex
	requests             []string
}

// Start serves plain HTTP, for Buckets with spec.insecure.
func Start(t testing.TB, accessKey, secretKey string) *Server {
	return StartAt(t, "", accessKey, secretKey)
}

// StartAt is Start listening on addr (host:port), or on a free loopback
// port when addr is empty.
func StartAt(t testing.TB, addr, accessKey, secretKey string) *Server {
	s := newServer(accessKey, secretKey)
	httpServer := loopback.NewUnstartedServer(t, addr, s.handler())
	httpServer.Start()
	t.Cleanup(httpServer.Close)
	s.Endpoint = strings.TrimPrefix(httpServer.URL, "http://")
	return s
}

// StartTLS serves https with a certificate of its own; CACert trusts it.
func StartTLS(t testing.TB, accessKey, secretKey string) *Server {
	s := newServer(accessKey, secretKey)
	httpServer := httptest.NewTLSServer(s.handler())
	t.Cleanup(httpServer.Close)
	s.Endpoint = strings.TrimPrefix(httpServer.URL, "https://")
	s.CACert = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: httpServer.Certificate().Raw})
	return s
}

func newServer(accessKey, secretKey string) *Server {
	return &Server{accessKey: accessKey, secretKey: secretKey, backend: s3mem.New()}
}

// handler checks the signature, then lets gofakes3 answer: gofakes3
// itself does not check credentials at all.
func (s *Server) handler() http.Handler {
	fake := gofakes3.New(s.backend).Server()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, r.Method+" "+r.URL.Path)
		s.mu.Unlock()
		auth, signed := parseAuthorization(r.Header.Get("Authorization"))
		switch {
		case !signed:
			refuse(w, "AccessDenied", "Access Denied")
		case auth.accessKeyID != s.accessKey:
			refuse(w, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
		case !auth.signatureMatches(r, s.secretKey):
			refuse(w, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.")
		default:
			fake.ServeHTTP(w, r)
		}
	})
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

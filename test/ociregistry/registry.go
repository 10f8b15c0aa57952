// Package ociregistry serves go-containerregistry's in-process OCI
// distribution registry on loopback for tests, optionally behind basic auth
// or TLS, and pushes Flux-style OCI artifacts (one tar.gz layer of files)
// to it.
package ociregistry

import (
	"crypto/subtle"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"gitops.io/apiserver/test/loopback"
)

// Options configure a Registry.
type Options struct {
	// User and Password, when set, are required of every request.
	User, Password string
	// TLS serves https with a certificate of its own (CAPEM).
	TLS bool
	// Addr is the host:port to listen on; a free loopback port when empty.
	Addr string
}

// Registry is a running registry; it stops when the test ends.
type Registry struct {
	// Host is host:port, for oci://<Host>/<repository> URLs.
	Host string
	// CAPEM is the PEM certificate to trust for a TLS registry.
	CAPEM []byte

	options   Options
	client    *http.Client
	blobReads atomic.Int64
}

// Start starts a registry on loopback.
func Start(t testing.TB, options Options) *Registry {
	t.Helper()
	r := &Registry{options: options}
	handler := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	server := loopback.NewUnstartedServer(t, options.Addr, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if !r.authorized(req) {
			w.Header().Set("WWW-Authenticate", `Basic realm="test registry"`)
			http.Error(w, `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`, http.StatusUnauthorized)
			return
		}
		if req.Method == http.MethodGet && strings.Contains(req.URL.Path, "/blobs/") {
			r.blobReads.Add(1)
		}
		handler.ServeHTTP(w, req)
	}))
	// Clients refusing the certificate are what some tests expect.
	server.Config.ErrorLog = log.New(io.Discard, "", 0)
	if options.TLS {
		server.StartTLS()
		r.CAPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: server.Certificate().Raw})
	} else {
		server.Start()
	}
	t.Cleanup(server.Close)
	r.Host = server.Listener.Addr().String()
	r.client = server.Client()
	return r
}

func (r *Registry) authorized(req *http.Request) bool {
	if r.options.User == "" {
		return true
	}
	user, password, ok := req.BasicAuth()
	return ok && subtle.ConstantTimeCompare([]byte(user), []byte(r.options.User)) == 1 &&
		subtle.ConstantTimeCompare([]byte(password), []byte(r.options.Password)) == 1
}

// URL is the oci:// URL of repository in this registry.
func (r *Registry) URL(repository string) string {
	return "oci://" + r.Host + "/" + repository
}

// BlobReads counts the blob downloads so far, to tell whether a client
// pulled anything.
func (r *Registry) BlobReads() int64 { return r.blobReads.Load() }

// Push pushes image to repository:tag and returns its manifest digest.
func (r *Registry) Push(t testing.TB, repository, tag string, image v1.Image) v1.Hash {
	t.Helper()
	ref, err := name.NewTag(r.Host+"/"+repository+":"+tag, name.StrictValidation)
	if err != nil {
		t.Fatal(err)
	}
	auth := authn.Anonymous
	if r.options.User != "" {
		auth = authn.FromConfig(authn.AuthConfig{Username: r.options.User, Password: r.options.Password})
	}
	if err := remote.Write(ref, image, remote.WithAuth(auth), remote.WithTransport(r.client.Transport)); err != nil {
		t.Fatalf("pushing %s: %v", ref, err)
	}
	digest, err := image.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return digest
}

// Package helmrepotest serves real Helm chart repositories on loopback for
// tests: charts packaged by Helm's SDK and an index.yaml generated the way
// `helm repo index` does, behind basic auth and optionally TLS.
package helmrepotest

import (
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	repo "helm.sh/helm/v4/pkg/repo/v1"

	"gitops.io/apiserver/test/loopback"
)

// Server is a Helm repository serving index.yaml and the charts published to it.
type Server struct {
	*httptest.Server
	// ChartBaseURL, when set before publishing, makes the index point at
	// charts on another server (absolute URLs); by default the index holds
	// relative URLs, as `helm repo index` writes without --url.
	ChartBaseURL string
	// Authorized counts requests that carried the right credentials.
	Authorized atomic.Int64

	dir            string
	user, password string
	mu             sync.Mutex
}

// New starts a repository that wants user and password (none when user is
// empty), over https with its own certificate when useTLS is true.
func New(t testing.TB, user, password string, useTLS bool) *Server {
	t.Helper()
	return NewAt(t, "", user, password, useTLS)
}

// NewAt is New listening on addr (host:port), or on a free loopback port
// when addr is empty.
func NewAt(t testing.TB, addr, user, password string, useTLS bool) *Server {
	t.Helper()
	s := &Server{dir: t.TempDir(), user: user, password: password}
	s.Server = loopback.NewUnstartedServer(t, addr, http.HandlerFunc(s.serve))
	// Handshakes refused on purpose (an unknown CA) are not news.
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	if useTLS {
		s.StartTLS()
	} else {
		s.Start()
	}
	t.Cleanup(s.Close)
	return s
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if s.user != "" {
		user, password, ok := r.BasicAuth()
		if !ok || user != s.user || password != s.password {
			w.Header().Set("WWW-Authenticate", `Basic realm="charts"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		s.Authorized.Add(1)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	http.FileServer(http.Dir(s.dir)).ServeHTTP(w, r)
}

// CAPEM is the PEM of the certificate of a TLS server, its own CA.
func (s *Server) CAPEM() string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw}))
}

// Publish packages a chart with values.yaml values and a ConfigMap
// template, adds it to the repository and regenerates index.yaml. It
// returns the packaged chart's bytes.
func (s *Server) Publish(t testing.TB, name, version, values string) []byte {
	t.Helper()
	return s.PublishChart(t, NewChart(name, version, values))
}

// PublishChart packages c, adds it to the repository and regenerates
// index.yaml. It returns the packaged chart's bytes.
func (s *Server) PublishChart(t testing.TB, c *chart.Chart) []byte {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	packaged, err := chartutil.Save(c, s.dir)
	if err != nil {
		t.Fatal(err)
	}
	index, err := repo.IndexDirectory(s.dir, s.ChartBaseURL)
	if err != nil {
		t.Fatal(err)
	}
	index.SortEntries()
	if err := index.WriteFile(filepath.Join(s.dir, "index.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(packaged)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Serve puts data at name on the server, to serve charts the index of
// another server points at.
func (s *Server) Serve(t testing.TB, name string, data []byte) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := os.WriteFile(filepath.Join(s.dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// NewChart is a minimal valid chart: Chart.yaml, values.yaml and one template.
func NewChart(name, version, values string) *chart.Chart {
	return &chart.Chart{
		Metadata: &chart.Metadata{APIVersion: chart.APIVersionV2, Name: name, Version: version, Type: "application"},
		Raw:      []*common.File{{Name: chartutil.ValuesfileName, Data: []byte(values)}},
		Templates: []*common.File{{Name: "templates/configmap.yaml", Data: []byte(
			"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata: {{ toYaml .Values | nindent 2 }}\n")}},
	}
}

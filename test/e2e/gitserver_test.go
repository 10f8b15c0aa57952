package e2e

import (
	"crypto/subtle"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	gogit "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"gitops.io/apiserver/test/gitserver"
	"gitops.io/apiserver/test/loopback"
)

// gitServer serves the repositories under root over smart HTTP on
// loopback: git's own http-backend behind net/http/cgi, with basic auth or
// a bearer token.
type gitServer struct {
	root     string
	url      string
	user     string
	password string
	token    string
	// caPEM is the CA of an https server's certificate; empty for http.
	caPEM string
}

func startGitServer(t testing.TB, user, password, token string) *gitServer {
	t.Helper()
	return newGitServer(t, "", user, password, token, false)
}

// startGitServerAt is startGitServer listening on addr (host:port).
func startGitServerAt(t testing.TB, addr, user, password, token string) *gitServer {
	t.Helper()
	return newGitServer(t, addr, user, password, token, false)
}

// startTLSGitServer is startGitServer over https, with a certificate of
// its own CA (caPEM).
func startTLSGitServer(t testing.TB, user, password string) *gitServer {
	t.Helper()
	return newGitServer(t, "", user, password, "", true)
}

func newGitServer(t testing.TB, addr, user, password, token string, useTLS bool) *gitServer {
	t.Helper()
	s := &gitServer{root: t.TempDir(), user: user, password: password, token: token}
	handler, err := gitserver.Handler(s.root, s.authorized)
	if err != nil {
		t.Fatal(err)
	}
	server := loopback.NewUnstartedServer(t, addr, handler)
	// Handshakes refused on purpose (an unknown CA) are not news.
	server.Config.ErrorLog = log.New(io.Discard, "", 0)
	if useTLS {
		server.StartTLS()
		s.caPEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: server.Certificate().Raw}))
	} else {
		server.Start()
	}
	t.Cleanup(server.Close)
	s.url = server.URL
	return s
}

func (s *gitServer) authorized(r *http.Request) bool {
	if _, _, ok := r.BasicAuth(); ok {
		return gitserver.BasicAuth(s.user, s.password)(r)
	}
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(token), []byte(s.token)) == 1
}

// workRepo is a working copy whose pushes go to a bare repository the
// server serves.
type workRepo struct {
	t   testing.TB
	dir string
	// url is where the server serves the bare repository.
	url string
}

// newRepo creates <name>.git on the server with a first commit on main.
func (s *gitServer) newRepo(t testing.TB, name string, files map[string]string) *workRepo {
	t.Helper()
	bare := filepath.Join(s.root, name+".git")
	git(t, "init", "--quiet", "--bare", "--initial-branch=main", bare)
	w := &workRepo{t: t, dir: t.TempDir(), url: s.url + "/" + name + ".git"}
	git(t, "init", "--quiet", "--initial-branch=main", w.dir)
	w.git("remote", "add", "origin", bare)
	w.commitAndPush(files)
	return w
}

func (w *workRepo) git(args ...string) string {
	w.t.Helper()
	return git(w.t, append([]string{"-C", w.dir, "-c", "user.name=e2e", "-c", "user.email=e2e@example.com"}, args...)...)
}

// commitAndPush commits files to main, pushes, and returns the commit's SHA.
func (w *workRepo) commitAndPush(files map[string]string) string {
	w.t.Helper()
	for name, content := range files {
		p := filepath.Join(w.dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			w.t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			w.t.Fatal(err)
		}
	}
	w.git("add", "-A")
	w.git("commit", "--quiet", "-m", "e2e change")
	w.git("push", "--quiet", "origin", "main")
	return strings.TrimSpace(w.git("rev-parse", "HEAD"))
}

// signedCommitAndPush commits files to main signed by key (with go-git, as
// the git CLI would need gpg and its agent), pushes, and returns the SHA.
func (w *workRepo) signedCommitAndPush(key *openpgp.Entity, files map[string]string) string {
	w.t.Helper()
	for name, content := range files {
		p := filepath.Join(w.dir, filepath.FromSlash(name))
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			w.t.Fatal(err)
		}
	}
	w.git("add", "-A")
	repo, err := gogit.PlainOpen(w.dir)
	if err != nil {
		w.t.Fatal(err)
	}
	worktree, err := repo.Worktree()
	if err != nil {
		w.t.Fatal(err)
	}
	hash, err := worktree.Commit("e2e signed change", &gogit.CommitOptions{
		SignKey: key,
		Author:  &object.Signature{Name: "e2e", Email: "e2e@example.com", When: time.Now()},
	})
	if err != nil {
		w.t.Fatal(err)
	}
	w.git("push", "--quiet", "origin", "main")
	return hash.String()
}

// newSigningKey returns an OpenPGP key and its armored public half.
func newSigningKey(t testing.TB) (*openpgp.Entity, string) {
	t.Helper()
	entity, err := openpgp.NewEntity("e2e", "", "e2e@example.com", nil)
	if err != nil {
		t.Fatal(err)
	}
	var public strings.Builder
	w, err := armor.Encode(&public, openpgp.PublicKeyType, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := entity.Serialize(w); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return entity, public.String()
}

package gitrepository

import (
	"crypto/ed25519"
	"crypto/rand"
	"net"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

func newHostKey(t *testing.T) ssh.PublicKey {
	t.Helper()
	public, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ssh.NewPublicKey(public)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func TestKnownHostsAcceptOnlyTheListedKey(t *testing.T) {
	known, other := newHostKey(t), newHostKey(t)
	line := knownhosts.Line([]string{knownhosts.Normalize("git.example.com:2222")}, known)
	callback, algorithms, err := knownHostsCallback([]byte("# comment\n" + line + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(algorithms) != 1 || algorithms[0] != ssh.KeyAlgoED25519 {
		t.Errorf("algorithms %v, want the listed key's", algorithms)
	}
	addr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 2222}
	if err := callback("git.example.com:2222", addr, known); err != nil {
		t.Errorf("the listed key is refused: %v", err)
	}
	if err := callback("git.example.com:2222", addr, other); err == nil {
		t.Error("another key of the listed host is accepted")
	}
	if err := callback("elsewhere.example.com:22", addr, known); err == nil {
		t.Error("a host that is not listed is accepted")
	}
}

func TestKnownHostsWithoutKeysIsAnError(t *testing.T) {
	if _, _, err := knownHostsCallback([]byte("# nothing here\n")); err == nil {
		t.Error("known_hosts without keys accepted")
	}
}

package e2e

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// sshGitServer serves the repositories of a gitServer over ssh: an
// in-process ssh server that runs git's own upload-pack for each fetch and
// lets in one client key.
type sshGitServer struct {
	// url is the ssh://git@127.0.0.1:<port> prefix of repository URLs.
	url  string
	addr string
	// knownHosts is the known_hosts line of the server's host key.
	knownHosts string
	// identityPEM is the private key of the client let in.
	identityPEM string
}

func startSSHGitServer(t *testing.T, repos *gitServer) *sshGitServer {
	t.Helper()
	hostKey, _ := newSSHKey(t)
	clientKey, clientPEM := newSSHKey(t)
	allowed := clientKey.PublicKey().Marshal()
	config := &ssh.ServerConfig{
		PublicKeyCallback: func(_ ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
			if bytes.Equal(key.Marshal(), allowed) {
				return nil, nil
			}
			return nil, errors.New("key not allowed")
		},
	}
	config.AddHostKey(hostKey)
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { listener.Close() })
	go func() {
		for {
			conn, err := listener.Accept()
			if err != nil {
				return
			}
			go serveSSH(conn, config, repos.root)
		}
	}()
	addr := listener.Addr().String()
	return &sshGitServer{
		url:         "ssh://git@" + addr,
		addr:        addr,
		knownHosts:  knownhosts.Line([]string{knownhosts.Normalize(addr)}, hostKey.PublicKey()),
		identityPEM: clientPEM,
	}
}

// newSSHKey returns an ed25519 signer and its private key in OpenSSH PEM.
func newSSHKey(t *testing.T) (ssh.Signer, string) {
	t.Helper()
	_, private, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(private)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(private, "")
	if err != nil {
		t.Fatal(err)
	}
	return signer, string(pem.EncodeToMemory(block))
}

func serveSSH(conn net.Conn, config *ssh.ServerConfig, root string) {
	defer conn.Close()
	_, channels, requests, err := ssh.NewServerConn(conn, config)
	if err != nil {
		return
	}
	go ssh.DiscardRequests(requests)
	for newChannel := range channels {
		if newChannel.ChannelType() != "session" {
			newChannel.Reject(ssh.UnknownChannelType, "sessions only")
			continue
		}
		channel, requests, err := newChannel.Accept()
		if err != nil {
			continue
		}
		go serveSession(channel, requests, root)
	}
}

// serveSession runs the one git-upload-pack a fetch asks for.
func serveSession(channel ssh.Channel, requests <-chan *ssh.Request, root string) {
	defer channel.Close()
	for req := range requests {
		switch req.Type {
		case "env":
			req.Reply(true, nil)
		case "exec":
			var exec struct{ Command string }
			if err := ssh.Unmarshal(req.Payload, &exec); err != nil {
				req.Reply(false, nil)
				return
			}
			cmd, err := uploadPack(exec.Command, root)
			if err != nil {
				req.Reply(false, nil)
				return
			}
			req.Reply(true, nil)
			cmd.Stdin, cmd.Stdout, cmd.Stderr = channel, channel, channel.Stderr()
			// The client may keep its end open after the fetch.
			cmd.WaitDelay = time.Second
			status := uint32(0)
			if err := cmd.Run(); err != nil {
				status = 1
			}
			channel.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{status}))
			return
		default:
			req.Reply(false, nil)
		}
	}
}

// uploadPack turns "git-upload-pack '/app.git'" into that command on the
// repository under root; nothing else is run.
func uploadPack(command, root string) (*exec.Cmd, error) {
	verb, arg, ok := strings.Cut(command, " ")
	if !ok || verb != "git-upload-pack" {
		return nil, fmt.Errorf("not a fetch: %q", command)
	}
	repo := path.Clean("/" + strings.Trim(arg, "'"))
	return exec.Command("git-upload-pack", filepath.Join(root, filepath.FromSlash(repo))), nil
}

package gitrepository

import (
	"fmt"
	"net/url"
	"os"

	gitssh "github.com/go-git/go-git/v5/plumbing/transport/ssh"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// sshCredentials are Flux's ssh keys of a Secret: identity (a private key
// in PEM), password (its passphrase, if any) and known_hosts, which is
// required: a host that cannot be verified is not talked to.
func sshCredentials(name string, remote *url.URL, data map[string][]byte) (credentials, error) {
	identity, knownHosts := data["identity"], data["known_hosts"]
	if len(identity) == 0 || len(knownHosts) == 0 {
		return credentials{}, source.FetchFailed(v1alpha1.AuthenticationFailedReason,
			"Secret '%s' needs identity and known_hosts for ssh", name)
	}
	user := remote.User.Username()
	if user == "" {
		user = gitssh.DefaultUsername
	}
	passphrase := string(data["password"])
	keys, err := gitssh.NewPublicKeys(user, identity, passphrase)
	if err != nil {
		// The parser's error never quotes the key.
		return credentials{}, source.FetchFailed(v1alpha1.AuthenticationFailedReason,
			"identity of Secret '%s' is not a usable private key: %v", name, err)
	}
	callback, algorithms, err := knownHostsCallback(knownHosts)
	if err != nil {
		return credentials{}, source.FetchFailed(v1alpha1.AuthenticationFailedReason,
			"known_hosts of Secret '%s': %v", name, err)
	}
	keys.HostKeyCallback, keys.HostKeyAlgorithms = callback, algorithms
	return credentials{auth: keys, secrets: []string{passphrase}}, nil
}

// knownHostsCallback checks host keys against known_hosts content, and
// returns the key algorithms it lists, so the server is asked for a key
// that can be checked.
func knownHostsCallback(knownHosts []byte) (ssh.HostKeyCallback, []string, error) {
	var algorithms []string
	seen := map[string]bool{}
	for rest := knownHosts; len(rest) > 0; {
		_, _, key, _, next, err := ssh.ParseKnownHosts(rest)
		if err != nil {
			break // io.EOF at the end; a bad line is reported by knownhosts.New
		}
		rest = next
		for _, algorithm := range algorithmsOf(key.Type()) {
			if !seen[algorithm] {
				seen[algorithm] = true
				algorithms = append(algorithms, algorithm)
			}
		}
	}
	if len(algorithms) == 0 {
		return nil, nil, fmt.Errorf("no host keys in it")
	}
	// knownhosts reads files only; the file lives just long enough to be read.
	f, err := os.CreateTemp("", "known_hosts-")
	if err != nil {
		return nil, nil, err
	}
	defer os.Remove(f.Name())
	_, err = f.Write(knownHosts)
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return nil, nil, err
	}
	callback, err := knownhosts.New(f.Name())
	return callback, algorithms, err
}

// algorithmsOf lists the signature algorithms a key of keyType can verify.
func algorithmsOf(keyType string) []string {
	if keyType == ssh.KeyAlgoRSA {
		return []string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA}
	}
	return []string{keyType}
}

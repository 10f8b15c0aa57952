package apiserver

import (
	"strings"
	"testing"

	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	corev1 "k8s.io/api/core/v1"
)

func TestRemoteCredentialsComeFromFluxSecretKeys(t *testing.T) {
	basic, err := remoteAuth(&corev1.Secret{Data: map[string][]byte{"username": []byte("u"), "password": []byte("p")}})
	if b, ok := basic.(*githttp.BasicAuth); err != nil || !ok || b.Username != "u" || b.Password != "p" {
		t.Errorf("username/password gave %#v, %v", basic, err)
	}
	token, err := remoteAuth(&corev1.Secret{Data: map[string][]byte{"bearerToken": []byte("t")}})
	if tk, ok := token.(*githttp.TokenAuth); err != nil || !ok || tk.Token != "t" {
		t.Errorf("bearerToken gave %#v, %v", token, err)
	}
	if _, err := remoteAuth(&corev1.Secret{Data: map[string][]byte{"username": []byte("u")}}); err == nil {
		t.Error("a Secret without a password was accepted")
	}
}

func TestMirrorFlagsAreChecked(t *testing.T) {
	for _, o := range []MirrorOptions{
		{Secret: "ns/name"},
		{URL: "https://git.example/x.git", Secret: "no-namespace", PullInterval: 1},
		{URL: "https://git.example/x.git"},
	} {
		errs := o.Validate()
		if len(errs) == 0 {
			t.Errorf("%+v was accepted", o)
		}
		for _, err := range errs {
			if !strings.Contains(err.Error(), "--storage-remote") {
				t.Errorf("error %q names no flag", err)
			}
		}
	}
}

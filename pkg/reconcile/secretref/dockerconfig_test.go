package secretref

import (
	"encoding/base64"
	"strings"
	"testing"
)

var pullRef = Ref{Namespace: "ns", Name: "creds", Field: "spec.secretRef"}

func TestDockerConfigAuthByHostOrURL(t *testing.T) {
	basic := base64.StdEncoding.EncodeToString([]byte("flux:s3cret"))
	for name, config := range map[string]string{
		"by host":       `{"auths":{"registry.example:5000":{"username":"flux","password":"s3cret"}}}`,
		"by URL":        `{"auths":{"https://registry.example:5000/v1/":{"username":"flux","password":"s3cret"}}}`,
		"by plain URL":  `{"auths":{"http://registry.example:5000":{"auth":"` + basic + `"}}}`,
		"among several": `{"auths":{"other.example":{"username":"x","password":"y"},"registry.example:5000":{"auth":"` + basic + `"}}}`,
	} {
		auth, err := DockerConfigAuth(pullRef, map[string][]byte{".dockerconfigjson": []byte(config)}, "registry.example:5000")
		if err != nil || auth == nil || auth.Username != "flux" || auth.Password != "s3cret" {
			t.Errorf("%s: %+v, %v; want flux and its password", name, auth, err)
		}
	}
}

func TestDockerConfigAuthWithoutAnEntry(t *testing.T) {
	for name, data := range map[string]map[string][]byte{
		"other registry":       {".dockerconfigjson": []byte(`{"auths":{"registry.example":{"username":"u","password":"p"}}}`)},
		"no .dockerconfigjson": {"username": []byte("u"), "password": []byte("p")},
	} {
		if auth, err := DockerConfigAuth(pullRef, data, "registry.example:5000"); auth != nil || err != nil {
			t.Errorf("%s: %+v, %v; want no entry and no error", name, auth, err)
		}
	}
}

func TestDockerConfigAuthNamesTheSecretButNoValue(t *testing.T) {
	for name, config := range map[string]string{
		"not JSON":        `{"auths": "s3cret`,
		"auth not base64": `{"auths":{"registry.example:5000":{"auth":"%s3cret"}}}`,
	} {
		_, err := DockerConfigAuth(pullRef, map[string][]byte{".dockerconfigjson": []byte(config)}, "registry.example:5000")
		if err == nil || !strings.Contains(err.Error(), "spec.secretRef: Secret 'ns/creds': .dockerconfigjson") {
			t.Errorf("%s: %v; want an error naming the Secret and its key", name, err)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%s: %v shows the Secret's value", name, err)
		}
	}
}

package secretref

import (
	"encoding/json"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	corev1 "k8s.io/api/core/v1"
)

// HasDockerConfig reports whether the Secret holds a .dockerconfigjson.
func HasDockerConfig(data map[string][]byte) bool {
	_, ok := data[corev1.DockerConfigJsonKey]
	return ok
}

// dockerConfig is the part of a .dockerconfigjson that holds credentials.
type dockerConfig struct {
	Auths map[string]authn.AuthConfig `json:"auths"`
}

// DockerConfigAuth is the entry for registry (a host, with its port if
// any) of the Secret's .dockerconfigjson, whose keys may be a host or a URL;
// nil when the Secret has no .dockerconfigjson or it has no such entry.
// Decoding turns an entry's "auth", base64 of username:password, into both.
func DockerConfigAuth(ref Ref, data map[string][]byte, registry string) (*authn.AuthConfig, error) {
	if !HasDockerConfig(data) {
		return nil, nil
	}
	var config dockerConfig
	if err := json.Unmarshal(data[corev1.DockerConfigJsonKey], &config); err != nil {
		// A JSON or base64 error quotes a character at most.
		return nil, ref.errorf("Secret '%s': %s: %v", ref, corev1.DockerConfigJsonKey, err)
	}
	for key, auth := range config.Auths {
		if registryOf(key) == registry {
			return &auth, nil
		}
	}
	return nil, nil
}

// registryOf is the host of a .dockerconfigjson key such as
// "https://registry.example:5000/v1/".
func registryOf(key string) string {
	key = strings.TrimPrefix(strings.TrimPrefix(key, "https://"), "http://")
	host, _, _ := strings.Cut(key, "/")
	return host
}

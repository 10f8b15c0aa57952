package helmrepository

import (
	"path/filepath"

	"helm.sh/helm/v4/pkg/registry"
	"oras.land/oras-go/v2/registry/remote/auth"
)

// RegistryClient is a Helm registry client for an OCI HelmRepository: its
// TLS settings, its credentials for the registry's host only, plain HTTP
// when spec.insecure. It never reads the server's own docker or Helm
// credential files. tmp is a folder the client may keep its state in.
func (a *Access) RegistryClient(tmp string) (*registry.Client, error) {
	credential := auth.EmptyCredential
	if a.creds.username != "" {
		credential = auth.Credential{Username: a.creds.username, Password: a.creds.password}
	}
	options := []registry.ClientOption{
		registry.ClientOptHTTPClient(a.client),
		registry.ClientOptCredentialsFile(filepath.Join(tmp, "registry-config.json")),
		registry.ClientOptAuthorizer(auth.Client{
			Client:     a.client,
			Credential: auth.StaticCredential(a.URL.Host, credential),
		}),
	}
	if a.insecure {
		options = append(options, registry.ClientOptPlainHTTP())
	}
	return registry.NewClient(options...)
}

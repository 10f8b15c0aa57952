package gitrepository

import (
	"context"
	"net/url"

	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/secretref"
	"gitops.io/apiserver/pkg/reconcile/source"
)

// credentials are what spec.secretRef gives for the remote.
type credentials struct {
	auth transport.AuthMethod
	// caBundle is trusted for https besides the system's roots.
	caBundle []byte
	// proxy is spec.proxySecretRef's proxy; empty for none.
	proxy transport.ProxyOptions
	// secrets are the values that must never show in a message.
	secrets []string
}

// getCredentials reads spec.secretRef: username and password for basic
// auth, or bearerToken, and a CA (ca.crt, or Flux's older caFile) for
// https. Without a secretRef the remote is read anonymously.
func (r *Reconciler) getCredentials(ctx context.Context, obj *v1alpha1.GitRepository, remote *url.URL) (credentials, error) {
	if obj.Spec.SecretRef == nil {
		if remote.Scheme == "ssh" {
			return credentials{}, source.Stalled(v1alpha1.AuthenticationFailedReason,
				"ssh needs a secretRef with identity and known_hosts")
		}
		return credentials{}, nil
	}
	ref := secretref.Ref{Namespace: obj.Namespace, Name: obj.Spec.SecretRef.Name, Field: "spec.secretRef"}
	data, err := secretref.Reader{Secrets: r.Secrets}.Secret(ctx, ref)
	if err != nil {
		return credentials{}, source.FetchFailed(v1alpha1.AuthenticationFailedReason, "%w", err)
	}
	switch remote.Scheme {
	case "ssh":
		return sshCredentials(ref.String(), remote, data)
	case "file":
		return credentials{}, nil
	}
	creds := credentials{caBundle: secretref.CABundle(data)}
	username, password := secretref.BasicAuth(data)
	switch token := secretref.BearerToken(data); {
	case token != "":
		creds.auth, creds.secrets = &githttp.TokenAuth{Token: token}, []string{token}
	case username != "" || password != "":
		creds.auth = &githttp.BasicAuth{Username: username, Password: password}
		creds.secrets = []string{password}
	case len(creds.caBundle) == 0:
		return credentials{}, source.FetchFailed(v1alpha1.AuthenticationFailedReason,
			"%s: Secret '%s' has neither username/password, bearerToken nor ca.crt", ref.Field, ref)
	}
	return creds, nil
}

package gitrepository

import (
	"context"
	"net/url"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
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
			return credentials{}, source.Stalled(source.AuthenticationFailedReason,
				"ssh needs a secretRef with identity and known_hosts")
		}
		return credentials{}, nil
	}
	name := obj.Namespace + "/" + obj.Spec.SecretRef.Name
	if r.Secrets == nil {
		return credentials{}, source.FetchFailed(source.AuthenticationFailedReason,
			"cannot read Secret '%s': the server has no cluster connection", name)
	}
	secret, err := r.Secrets.Secrets(obj.Namespace).Get(ctx, obj.Spec.SecretRef.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return credentials{}, source.FetchFailed(source.AuthenticationFailedReason, "Secret '%s' not found", name)
	}
	if err != nil {
		return credentials{}, source.FetchFailed(source.AuthenticationFailedReason, "reading Secret '%s': %v", name, err)
	}
	data := secret.Data
	switch remote.Scheme {
	case "ssh":
		return sshCredentials(name, remote, data)
	case "file":
		return credentials{}, nil
	}
	creds := credentials{caBundle: data["ca.crt"]}
	if len(creds.caBundle) == 0 {
		creds.caBundle = data["caFile"]
	}
	switch {
	case len(data["bearerToken"]) > 0:
		token := string(data["bearerToken"])
		creds.auth, creds.secrets = &githttp.TokenAuth{Token: token}, []string{token}
	case len(data["username"]) > 0 || len(data["password"]) > 0:
		password := string(data["password"])
		creds.auth = &githttp.BasicAuth{Username: string(data["username"]), Password: password}
		creds.secrets = []string{password}
	case len(creds.caBundle) == 0:
		return credentials{}, source.FetchFailed(source.AuthenticationFailedReason,
			"Secret '%s' has neither username/password, bearerToken nor ca.crt", name)
	}
	return creds, nil
}

package ocirepository

import (
	"context"
	"fmt"
	"net/http"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/secretref"
)

// registryAccess is how the registry is reached: the options of every
// go-containerregistry call, and the transport behind them.
type registryAccess struct {
	options   []remote.Option
	transport *http.Transport
}

// accessFor reads the credentials, spec.certSecretRef and
// spec.proxySecretRef into the options for repo's registry.
func (r *Reconciler) accessFor(ctx context.Context, obj *v1alpha1.OCIRepository, repo name.Repository) (registryAccess, error) {
	auth, err := r.authFor(ctx, obj, repo.Registry)
	if err != nil {
		return registryAccess{}, err
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	proxy, err := r.proxyFor(ctx, obj)
	if err != nil {
		return registryAccess{}, err
	}
	if proxy != nil { // else the environment's, as the default transport's
		transport.Proxy = proxy
	}
	if obj.Spec.CertSecretRef != nil {
		ref := secretRef(obj, obj.Spec.CertSecretRef.Name, "spec.certSecretRef")
		data, err := secretref.Reader{Secrets: r.Secrets}.Secret(ctx, ref)
		if err != nil {
			return registryAccess{}, authenticationFailed(err)
		}
		if transport.TLSClientConfig, err = secretref.TLSConfig(ref, data); err != nil {
			return registryAccess{}, authenticationFailed(err)
		}
	}
	options := []remote.Option{
		remote.WithContext(ctx),
		remote.WithAuth(auth),
		remote.WithTransport(plainHTTPGuard{transport, obj.Spec.Insecure}),
	}
	// One puller for the run: the registry is pinged and logged in to once.
	puller, err := remote.NewPuller(options...)
	if err != nil {
		return registryAccess{}, err
	}
	return registryAccess{options: append(options, remote.Reuse(puller)), transport: transport}, nil
}

// release closes the connections kept open for the next call.
func (a registryAccess) release() {
	if a.transport != nil {
		a.transport.CloseIdleConnections()
	}
}

// plainHTTPGuard refuses plain HTTP unless spec.insecure allows it.
// go-containerregistry falls back to HTTP on its own for registries on
// loopback or private addresses; spec.insecure alone decides here.
type plainHTTPGuard struct {
	next     http.RoundTripper
	insecure bool
}

func (g plainHTTPGuard) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme == "http" && !g.insecure {
		if req.Body != nil {
			req.Body.Close() // a RoundTripper closes the body, even on errors
		}
		return nil, fmt.Errorf("plain HTTP to %s is refused without spec.insecure", req.URL.Host)
	}
	return g.next.RoundTrip(req)
}

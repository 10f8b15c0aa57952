package provider

import (
	"context"
	"crypto/tls"
	"fmt"

	eventv1 "github.com/fluxcd/pkg/apis/event/v1beta1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// Sender posts one event to a service.
type Sender interface {
	Post(ctx context.Context, event eventv1.Event) error
}

// Options is what a Provider and its Secrets give the sender of any type;
// each type reads the fields it needs, as in Flux.
type Options struct {
	// URL is the service's address: spec.address, or the address key of
	// spec.secretRef's Secret, which wins.
	URL string
	// ProxyURL, if set, is the proxy requests go through.
	ProxyURL string
	// Username and Channel are spec.username and spec.channel; the
	// Secret's username key overrides Username, as in Flux.
	Username, Channel string
	// Token and Password are the Secret's token and password keys.
	Token, Password string
	// Headers are the Secret's headers key, added to every request.
	Headers map[string]string
	// TLSConfig is spec.certSecretRef's, or nil for the system's roots.
	TLSConfig *tls.Config
}

type newFunc func(Options) (Sender, error)

// senders are the types this server sends. Types the API accepts and this
// table lacks are reported by Supported, and a Provider of one is not
// Ready.
var senders = map[v1alpha1.ProviderType]newFunc{
	v1alpha1.ProviderGeneric:     newGeneric,
	v1alpha1.ProviderGenericHMAC: newGenericHMAC,
	v1alpha1.ProviderSlack:       newSlack,
}

// Supported reports whether New can make a sender of type t.
func Supported(t v1alpha1.ProviderType) bool {
	_, ok := senders[t]
	return ok
}

// New makes the sender of type t.
func New(t v1alpha1.ProviderType, o Options) (Sender, error) {
	newSender, ok := senders[t]
	if !ok {
		return nil, fmt.Errorf("provider type '%s' is not supported yet", t)
	}
	return newSender(o)
}

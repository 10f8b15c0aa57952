package helmrelease

import (
	"strings"
	"sync"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// clientGetter is Helm's RESTClientGetter for a target cluster's client
// config, in memory: Helm's own reads kubeconfig files, which name this
// machine's paths and its user's credentials.
type clientGetter struct {
	cfg *rest.Config
	// namespace is where Helm puts the chart's objects that name none.
	namespace string
	// fresh discovers the cluster anew each time Helm asks for a client
	// (spec.persistentClient false), rather than using discovered.
	fresh bool
	*discovered
}

// discovered is what a cluster serves, as one identity discovered it, and
// the REST mapping made of it. Both refresh themselves when a kind is not
// found (a CRD installed since).
type discovered struct {
	discovery discovery.CachedDiscoveryInterface
	mapper    meta.RESTMapper
}

func discover(cfg *rest.Config) (*discovered, error) {
	client, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return nil, err
	}
	cached := memory.NewMemCacheClient(client)
	mapper := restmapper.NewShortcutExpander(restmapper.NewDeferredDiscoveryRESTMapper(cached), cached, nil)
	return &discovered{discovery: cached, mapper: mapper}, nil
}

// discoveries keeps what each identity discovered of the server's own
// cluster, so that a run does not ask for the API's discovery documents and
// build a REST mapping anew: for a hundred releases that was most of their
// work for the cluster's API server. Clusters of a kubeConfig are not kept:
// their Secret may change what they are.
type discoveries struct {
	mu   sync.Mutex
	byID map[string]*discovered
}

// of is cfg's discovery, kept under cfg's host and the identity it
// impersonates when keep.
func (d *discoveries) of(cfg *rest.Config, keep bool) (*discovered, error) {
	if !keep {
		return discover(cfg)
	}
	key := strings.Join(append([]string{cfg.Host, cfg.Impersonate.UserName, cfg.Impersonate.UID}, cfg.Impersonate.Groups...), "\x00")
	d.mu.Lock()
	defer d.mu.Unlock()
	if found, ok := d.byID[key]; ok {
		return found, nil
	}
	found, err := discover(cfg)
	if err != nil {
		return nil, err
	}
	if d.byID == nil {
		d.byID = map[string]*discovered{}
	}
	d.byID[key] = found
	return found, nil
}

func (g *clientGetter) ToRESTConfig() (*rest.Config, error) { return rest.CopyConfig(g.cfg), nil }

func (g *clientGetter) ToDiscoveryClient() (discovery.CachedDiscoveryInterface, error) {
	found, err := g.current()
	if err != nil {
		return nil, err
	}
	return found.discovery, nil
}

func (g *clientGetter) ToRESTMapper() (meta.RESTMapper, error) {
	found, err := g.current()
	if err != nil {
		return nil, err
	}
	return found.mapper, nil
}

// current is what Helm's next client is made of: the discovery kept for
// the run and beyond, or, when fresh, a discovery of its own, so that a
// kind the chart created during the action (a CRD outside crds/) is seen,
// as Flux's non-persistent client does.
func (g *clientGetter) current() (*discovered, error) {
	if g.fresh {
		return discover(g.cfg)
	}
	return g.discovered, nil
}

// ToRawKubeConfigLoader gives Helm the namespace; nothing else of it is read.
func (g *clientGetter) ToRawKubeConfigLoader() clientcmd.ClientConfig {
	overrides := &clientcmd.ConfigOverrides{Context: clientcmdapi.Context{Namespace: g.namespace}}
	return clientcmd.NewDefaultClientConfig(*clientcmdapi.NewConfig(), overrides)
}

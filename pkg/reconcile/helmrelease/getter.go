package helmrelease

import (
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
	discovery discovery.CachedDiscoveryInterface
}

func newClientGetter(cfg *rest.Config, namespace string) (*clientGetter, error) {
	client, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return nil, err
	}
	return &clientGetter{cfg: cfg, namespace: namespace, discovery: memory.NewMemCacheClient(client)}, nil
}

func (g *clientGetter) ToRESTConfig() (*rest.Config, error) { return rest.CopyConfig(g.cfg), nil }

func (g *clientGetter) ToDiscoveryClient() (discovery.CachedDiscoveryInterface, error) {
	return g.discovery, nil
}

func (g *clientGetter) ToRESTMapper() (meta.RESTMapper, error) {
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(g.discovery)
	return restmapper.NewShortcutExpander(mapper, g.discovery, nil), nil
}

// ToRawKubeConfigLoader gives Helm the namespace; nothing else of it is read.
func (g *clientGetter) ToRawKubeConfigLoader() clientcmd.ClientConfig {
	overrides := &clientcmd.ConfigOverrides{Context: clientcmdapi.Context{Namespace: g.namespace}}
	return clientcmd.NewDefaultClientConfig(*clientcmdapi.NewConfig(), overrides)
}

package secretref

import (
	"net/url"
	"slices"
)

// proxySchemes are those Go's HTTP transport and go-git both proxy through.
var proxySchemes = []string{"http", "https", "socks5"}

// ProxyURL is the proxy of a proxySecretRef Secret, Flux's keys: address
// (required, an http, https or socks5 URL, as Flux accepts), username and
// password. The address is never shown in a message: it may hold a
// password.
func ProxyURL(ref Ref, data map[string][]byte) (*url.URL, error) {
	address := string(data["address"])
	if address == "" {
		return nil, ref.errorf("proxy Secret '%s' has no address", ref)
	}
	proxy, err := url.Parse(address)
	if err != nil || proxy.Host == "" || !slices.Contains(proxySchemes, proxy.Scheme) {
		return nil, ref.errorf("address of proxy Secret '%s' is not an http, https or socks5 URL", ref)
	}
	if username, password := BasicAuth(data); username != "" {
		proxy.User = url.UserPassword(username, password)
	}
	return proxy, nil
}

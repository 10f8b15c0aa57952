package secretref

import "net/url"

// ProxyURL is the proxy of a proxySecretRef Secret, Flux's keys: address
// (required, an http or https URL), username and password. The address is
// never shown in a message: it may hold a password.
func ProxyURL(ref Ref, data map[string][]byte) (*url.URL, error) {
	address := string(data["address"])
	if address == "" {
		return nil, ref.errorf("proxy Secret '%s' has no address", ref)
	}
	proxy, err := url.Parse(address)
	if err != nil || proxy.Host == "" || (proxy.Scheme != "http" && proxy.Scheme != "https") {
		return nil, ref.errorf("address of proxy Secret '%s' is not an http(s) URL", ref)
	}
	if username, password := BasicAuth(data); username != "" {
		proxy.User = url.UserPassword(username, password)
	}
	return proxy, nil
}

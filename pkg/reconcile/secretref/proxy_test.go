package secretref

import (
	"strings"
	"testing"
)

var proxyRef = Ref{Namespace: "ns", Name: "proxy", Field: "spec.proxySecretRef"}

func TestProxyURLWithCredentials(t *testing.T) {
	proxy, err := ProxyURL(proxyRef, map[string][]byte{
		"address": []byte("http://proxy.example:3128"), "username": []byte("u"), "password": []byte("p4ss")})
	if err != nil {
		t.Fatal(err)
	}
	if password, _ := proxy.User.Password(); proxy.Host != "proxy.example:3128" || proxy.User.Username() != "u" || password != "p4ss" {
		t.Errorf("proxy %s, want proxy.example:3128 as u with the password", proxy.Redacted())
	}
}

func TestProxyURLTakesSOCKS5(t *testing.T) {
	// Flux accepts SOCKS5 proxies (source-controller #1915 restored them).
	proxy, err := ProxyURL(proxyRef, map[string][]byte{"address": []byte("socks5://proxy.example:1080")})
	if err != nil || proxy.Scheme != "socks5" {
		t.Errorf("proxy %v, %v; want the socks5 proxy", proxy, err)
	}
}

func TestProxyURLNamesTheSecretButNotTheAddress(t *testing.T) {
	for name, tc := range map[string]struct {
		address string
		want    string
	}{
		"no address":           {"", "spec.proxySecretRef: proxy Secret 'ns/proxy' has no address"},
		"no scheme":            {"user:s3cret@proxy.example:3128", "address of proxy Secret 'ns/proxy' is not an http, https or socks5 URL"},
		"ftp":                  {"ftp://user:s3cret@proxy.example:21", "address of proxy Secret 'ns/proxy' is not an http, https or socks5 URL"},
		"unparsable with host": {"http://user:s3cret@proxy.example:port", "address of proxy Secret 'ns/proxy' is not an http, https or socks5 URL"},
	} {
		_, err := ProxyURL(proxyRef, map[string][]byte{"address": []byte(tc.address)})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v; want an error saying %q", name, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%s: %v shows the address", name, err)
		}
	}
}

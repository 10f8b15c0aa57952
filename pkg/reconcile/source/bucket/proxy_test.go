package bucket

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"strings"
	"sync/atomic"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
)

// startForwardProxy is an HTTP forward proxy on loopback that asks for
// basic auth; it returns its URL and the count of forwarded requests.
func startForwardProxy(t *testing.T, user, password string) (string, *atomic.Int64) {
	var forwarded atomic.Int64
	// A forward proxy gets absolute URLs: the request already names where it goes.
	forward := &httputil.ReverseProxy{Rewrite: func(*httputil.ProxyRequest) {}}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxyAuth := &http.Request{Header: http.Header{"Authorization": r.Header.Values("Proxy-Authorization")}}
		if u, p, ok := proxyAuth.BasicAuth(); !ok || u != user || p != password || !r.URL.IsAbs() {
			http.Error(w, "proxy authentication required", http.StatusProxyAuthRequired)
			return
		}
		forwarded.Add(1)
		forward.ServeHTTP(w, r)
	}))
	t.Cleanup(server.Close)
	return server.URL, &forwarded
}

func proxySecret(name, address, user, password string) *corev1.Secret {
	return &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Data: map[string][]byte{
			"address": []byte(address), "username": []byte(user), "password": []byte(password),
		},
	}
}

func TestProxyOfProxySecretRef(t *testing.T) {
	s3 := newS3(t, map[string]string{"a.yaml": "a"})
	proxyURL, forwarded := startForwardProxy(t, "proxy-user", "proxy-password")
	r := newTestReconciler(t, credentialsSecret("s3-auth", testAccessKey, testSecretKey),
		proxySecret("proxy", proxyURL, "proxy-user", "proxy-password"),
		proxySecret("wrong-proxy", proxyURL, "proxy-user", "wrong-proxy-password"),
		proxySecret("no-address", "", "proxy-user", "proxy-password"))
	obj := newBucket(s3.Endpoint)

	obj.Spec.ProxySecretRef = &v1alpha1.LocalObjectReference{Name: "proxy"}
	if err := r.reconcileSteps(t.Context(), obj); err != nil {
		t.Fatalf("through the proxy: %v", err)
	}
	if forwarded.Load() == 0 {
		t.Error("the proxy forwarded nothing: the bucket was reached directly")
	}

	obj.Status.Artifact = nil
	obj.Spec.ProxySecretRef.Name = "wrong-proxy"
	if se := failure(t, r, obj); se.Stalled || !strings.Contains(se.Error(), "Proxy Authentication Required") ||
		strings.Contains(se.Error(), "wrong-proxy-password") {
		t.Errorf("stalled %v: %v; want a retried failure naming the proxy's refusal, without the password", se.Stalled, se)
	}

	obj.Spec.ProxySecretRef.Name = "no-address"
	if se := failure(t, r, obj); se.Reason != v1alpha1.URLInvalidReason || !strings.Contains(se.Error(), "proxy Secret 'ns/no-address' has no address") {
		t.Errorf("reason %s: %v; want URLInvalid naming the Secret", se.Reason, se)
	}
}

package provider

import (
	"context"
	"encoding/base64"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"gitops.io/apiserver/pkg/apis/gitops/v1alpha1"
	"gitops.io/apiserver/pkg/reconcile/secretref"
)

func secret(name string, data map[string]string) *corev1.Secret {
	s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "apps", Name: name}, Data: map[string][]byte{}}
	for k, v := range data {
		s.Data[k] = []byte(v)
	}
	return s
}

// send configures p from these Secrets and posts the test event.
func send(t *testing.T, p *v1alpha1.Provider, secrets ...*corev1.Secret) error {
	t.Helper()
	client := fake.NewSimpleClientset()
	for _, s := range secrets {
		if err := client.Tracker().Add(s); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	config, err := Configure(ctx, secretref.Reader{Secrets: client.CoreV1()}, p)
	if err != nil {
		return err
	}
	sender, err := New(p.Spec.Type, config.Options)
	if err != nil {
		return err
	}
	return sender.Post(ctx, testEvent())
}

func providerOf(spec v1alpha1.ProviderSpec) *v1alpha1.Provider {
	return &v1alpha1.Provider{ObjectMeta: metav1.ObjectMeta{Namespace: "apps", Name: "p"}, Spec: spec}
}

func TestCertSecretRefTrustsTheServersCA(t *testing.T) {
	s := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(s.Close)
	ca := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw}))
	p := providerOf(v1alpha1.ProviderSpec{Type: v1alpha1.ProviderGeneric, Address: s.URL,
		CertSecretRef: &v1alpha1.LocalObjectReference{Name: "ca"}})
	if err := send(t, p, secret("ca", map[string]string{"ca.crt": ca})); err != nil {
		t.Fatalf("with the CA: %v", err)
	}
	p.Spec.CertSecretRef = nil
	if err := send(t, p); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("without the CA: err = %v, want a certificate error", err)
	}
}

func TestProxySecretRefSendsThroughTheProxyWithItsCredentials(t *testing.T) {
	var got *http.Request
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.Clone(context.Background()) }))
	t.Cleanup(proxy.Close)
	p := providerOf(v1alpha1.ProviderSpec{Type: v1alpha1.ProviderGeneric, Address: "http://hooks.example.invalid/flux",
		ProxySecretRef: &v1alpha1.LocalObjectReference{Name: "proxy"}})
	err := send(t, p, secret("proxy", map[string]string{"address": proxy.URL, "username": "u", "password": "pw"}))
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || got.URL.String() != "http://hooks.example.invalid/flux" {
		t.Fatalf("the proxy got %v, want the request for http://hooks.example.invalid/flux", got)
	}
	if want := "Basic " + base64.StdEncoding.EncodeToString([]byte("u:pw")); got.Header.Get("Proxy-Authorization") != want {
		t.Errorf("Proxy-Authorization %q, want %q", got.Header.Get("Proxy-Authorization"), want)
	}
}

func TestMissingSecretIsNamed(t *testing.T) {
	p := providerOf(v1alpha1.ProviderSpec{Type: v1alpha1.ProviderSlack, SecretRef: &v1alpha1.LocalObjectReference{Name: "absent"}})
	err := send(t, p)
	if err == nil || !strings.Contains(err.Error(), "spec.secretRef") || !strings.Contains(err.Error(), "apps/absent") {
		t.Fatalf("err = %v, want spec.secretRef naming apps/absent", err)
	}
}

func TestSlackWithoutAnyAddressIsRefused(t *testing.T) {
	p := providerOf(v1alpha1.ProviderSpec{Type: v1alpha1.ProviderSlack, SecretRef: &v1alpha1.LocalObjectReference{Name: "token-only"}})
	err := send(t, p, secret("token-only", map[string]string{"token": "xoxb"}))
	if err == nil || !strings.Contains(err.Error(), "no address") {
		t.Fatalf("err = %v, want no address", err)
	}
}

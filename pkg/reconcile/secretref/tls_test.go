package secretref

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// clientCertificate makes a self-signed client certificate and returns it
// and its key as PEM.
func clientCertificate(t *testing.T) (certPEM, keyPEM []byte, cert *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	template := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "client"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err = x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), cert
}

var certRef = Ref{Namespace: "ns", Name: "tls", Field: "spec.certSecretRef"}

func TestTLSConfigTrustsTheCAAndPresentsTheClientCertificate(t *testing.T) {
	certPEM, keyPEM, cert := clientCertificate(t)
	server := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	clients := x509.NewCertPool()
	clients.AddCert(cert)
	server.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: clients}
	server.StartTLS()
	defer server.Close()
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: server.Certificate().Raw})

	get := func(data map[string][]byte) error {
		config, err := TLSConfig(certRef, data)
		if err != nil {
			t.Fatal(err)
		}
		client := &http.Client{Transport: &http.Transport{TLSClientConfig: config}}
		resp, err := client.Get(server.URL)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	if err := get(map[string][]byte{"ca.crt": caPEM, "tls.crt": certPEM, "tls.key": keyPEM}); err != nil {
		t.Errorf("with ca.crt, tls.crt and tls.key: %v", err)
	}
	if err := get(map[string][]byte{"caFile": caPEM, "certFile": certPEM, "keyFile": keyPEM}); err != nil {
		t.Errorf("with Flux's older keys: %v", err)
	}
	if err := get(map[string][]byte{"ca.crt": caPEM}); err == nil {
		t.Error("the server requiring a client certificate accepted none")
	}
}

func TestTLSConfigNamesWhatIsWrong(t *testing.T) {
	certPEM, keyPEM, _ := clientCertificate(t)
	for name, tc := range map[string]struct {
		data map[string][]byte
		want string
	}{
		"no TLS keys":       {map[string][]byte{"username": []byte("u")}, "spec.certSecretRef: Secret 'ns/tls' has neither ca.crt nor tls.crt and tls.key"},
		"bad PEM":           {map[string][]byte{"ca.crt": []byte("not PEM")}, "Secret 'ns/tls': ca.crt holds no PEM certificate"},
		"older key bad PEM": {map[string][]byte{"caFile": []byte("not PEM")}, "Secret 'ns/tls': caFile holds no PEM certificate"},
		"missing key":       {map[string][]byte{"tls.crt": certPEM}, "Secret 'ns/tls': tls.crt and tls.key must be given together"},
		"missing cert":      {map[string][]byte{"keyFile": keyPEM}, "Secret 'ns/tls': tls.crt and keyFile must be given together"},
		"bad key":           {map[string][]byte{"tls.crt": certPEM, "tls.key": []byte("not a key")}, "Secret 'ns/tls': tls.crt and tls.key:"},
	} {
		_, err := TLSConfig(certRef, tc.data)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v; want an error saying %q", name, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "BEGIN") {
			t.Errorf("%s: %v shows the Secret's PEM", name, err)
		}
	}
}

func TestCABundleFallsBackToCAFile(t *testing.T) {
	for name, tc := range map[string]struct {
		data map[string][]byte
		want string
	}{
		"ca.crt":       {map[string][]byte{"ca.crt": []byte("new"), "caFile": []byte("old")}, "new"},
		"caFile":       {map[string][]byte{"caFile": []byte("old")}, "old"},
		"neither":      {map[string][]byte{"username": []byte("u")}, ""},
		"empty ca.crt": {map[string][]byte{"ca.crt": {}, "caFile": []byte("old")}, "old"},
	} {
		if got := string(CABundle(tc.data)); got != tc.want {
			t.Errorf("%s: CABundle = %q, want %q", name, got, tc.want)
		}
	}
}

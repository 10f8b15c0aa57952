package source

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
)

// TLSConfig is the client TLS configuration a certSecretRef Secret holds,
// with Flux's keys: ca.crt, trusted besides the system's roots, and
// tls.crt with tls.key, a client certificate. Flux's older caFile, certFile
// and keyFile are read when the newer keys are absent.
func TLSConfig(data map[string][]byte) (*tls.Config, error) {
	value := func(key, older string) []byte {
		if v := data[key]; len(v) > 0 {
			return v
		}
		return data[older]
	}
	ca, cert, key := value("ca.crt", "caFile"), value("tls.crt", "certFile"), value("tls.key", "keyFile")
	if len(ca) == 0 && len(cert) == 0 && len(key) == 0 {
		return nil, errors.New("none of ca.crt, tls.crt and tls.key")
	}
	config := &tls.Config{MinVersion: tls.VersionTLS12}
	if len(ca) > 0 {
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(ca) {
			return nil, errors.New("ca.crt holds no PEM certificate")
		}
		config.RootCAs = pool
	}
	if len(cert) > 0 || len(key) > 0 {
		if len(cert) == 0 || len(key) == 0 {
			return nil, errors.New("tls.crt and tls.key must be given together")
		}
		pair, err := tls.X509KeyPair(cert, key)
		if err != nil {
			return nil, fmt.Errorf("tls.crt and tls.key: %w", err)
		}
		config.Certificates = []tls.Certificate{pair}
	}
	return config, nil
}

package secretref

import (
	"crypto/tls"
	"crypto/x509"
)

// tlsKey is one of Flux's TLS keys of a Secret, with the older name read
// when the newer is absent.
type tlsKey struct{ name, older string }

var (
	caKey   = tlsKey{"ca.crt", "caFile"}
	certKey = tlsKey{"tls.crt", "certFile"}
	keyKey  = tlsKey{"tls.key", "keyFile"}
)

// in returns the name the key has in data and its value; empty when data
// has neither name.
func (k tlsKey) in(data map[string][]byte) (string, []byte) {
	if v := data[k.name]; len(v) > 0 {
		return k.name, v
	}
	if v := data[k.older]; len(v) > 0 {
		return k.older, v
	}
	return k.name, nil
}

// CABundle is the CA certificate of a Secret, ca.crt or caFile, for
// clients that take PEM rather than a *tls.Config; nil when it has none.
func CABundle(data map[string][]byte) []byte {
	_, ca := caKey.in(data)
	return ca
}

// HasTLS reports whether the Secret holds any of the TLS keys, for
// Secrets where they are optional.
func HasTLS(data map[string][]byte) bool {
	for _, k := range []tlsKey{caKey, certKey, keyKey} {
		if _, v := k.in(data); len(v) > 0 {
			return true
		}
	}
	return false
}

// TLSConfig is the client TLS configuration of the Secret ref names: its
// CA, trusted besides the system's roots, and its client certificate and
// key, which come together. A Secret without any of them is an error.
func TLSConfig(ref Ref, data map[string][]byte) (*tls.Config, error) {
	if !HasTLS(data) {
		return nil, ref.errorf("Secret '%s' has neither ca.crt nor tls.crt and tls.key", ref)
	}
	config := &tls.Config{MinVersion: tls.VersionTLS12}
	if name, ca := caKey.in(data); len(ca) > 0 {
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(ca) {
			return nil, ref.errorf("Secret '%s': %s holds no PEM certificate", ref, name)
		}
		config.RootCAs = pool
	}
	certName, cert := certKey.in(data)
	keyName, key := keyKey.in(data)
	if len(cert) == 0 && len(key) == 0 {
		return config, nil
	}
	if len(cert) == 0 || len(key) == 0 {
		return nil, ref.errorf("Secret '%s': %s and %s must be given together", ref, certName, keyName)
	}
	// The parser's errors say what is wrong, never the key's bytes.
	pair, err := tls.X509KeyPair(cert, key)
	if err != nil {
		return nil, ref.errorf("Secret '%s': %s and %s: %v", ref, certName, keyName, err)
	}
	config.Certificates = []tls.Certificate{pair}
	return config, nil
}

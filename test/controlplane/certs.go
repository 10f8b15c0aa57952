package controlplane

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// ca is a certificate authority made for one control plane; its key never
// leaves memory.
type ca struct {
	cert    *x509.Certificate
	key     crypto.Signer
	certPEM []byte
}

func newCA(commonName string) (*ca, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl, err := template(commonName, nil, 10*365*24*time.Hour)
	if err != nil {
		return nil, err
	}
	tmpl.IsCA = true
	tmpl.BasicConstraintsValid = true
	tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &ca{cert: cert, key: key, certPEM: pemBlock("CERTIFICATE", der)}, nil
}

// issue signs a new key pair. A certificate with hosts is a serving
// certificate for those names and addresses; one without is a client
// certificate, whose organizations are the user's groups in Kubernetes.
func (c *ca) issue(commonName string, organizations, hosts []string) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl, err := template(commonName, organizations, 365*24*time.Hour)
	if err != nil {
		return nil, nil, err
	}
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	if len(hosts) == 0 {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	} else {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		for _, h := range hosts {
			if ip := net.ParseIP(h); ip != nil {
				tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
			} else {
				tmpl.DNSNames = append(tmpl.DNSNames, h)
			}
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, c.cert, key.Public(), c.key)
	if err != nil {
		return nil, nil, err
	}
	keyPEM, err = privateKeyPEM(key)
	if err != nil {
		return nil, nil, err
	}
	return pemBlock("CERTIFICATE", der), keyPEM, nil
}

func template(commonName string, organizations []string, validFor time.Duration) (*x509.Certificate, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, err
	}
	now := time.Now()
	return &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: commonName, Organization: organizations},
		NotBefore:    now.Add(-time.Hour), // tolerate a little clock skew
		NotAfter:     now.Add(validFor),
	}, nil
}

func newPrivateKeyPEM() ([]byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	return privateKeyPEM(key)
}

// privateKeyPEM uses the SEC1 form: kube-apiserver reads public keys out of
// it for --service-account-key-file, which it does not do for PKCS#8.
func privateKeyPEM(key *ecdsa.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, err
	}
	return pemBlock("EC PRIVATE KEY", der), nil
}

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

// writeFiles writes name -> content into dir; keys are readable by the owner only.
func writeFiles(dir string, files map[string][]byte) error {
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// ServingCert is a serving certificate for an aggregated API server.
type ServingCert struct {
	CertFile, KeyFile string
	// CABundle is the PEM certificate of the CA that signed it: the APIService's caBundle.
	CABundle []byte
}

// WriteServingCert makes a CA and a serving certificate signed by it for an
// aggregated API server, and writes the pair into dir as <service>.crt and
// <service>.key. The certificate names <service>.<namespace>.svc, the name the
// aggregator checks, and localhost and 127.0.0.1 for direct calls.
func WriteServingCert(dir, namespace, service string) (*ServingCert, error) {
	authority, err := newCA(service + "-ca")
	if err != nil {
		return nil, err
	}
	certPEM, keyPEM, err := authority.issue(service, nil,
		[]string{service + "." + namespace + ".svc", "localhost", "127.0.0.1"})
	if err != nil {
		return nil, err
	}
	sc := &ServingCert{
		CertFile: filepath.Join(dir, service+".crt"),
		KeyFile:  filepath.Join(dir, service+".key"),
		CABundle: authority.certPEM,
	}
	if err := writeFiles(dir, map[string][]byte{service + ".crt": certPEM, service + ".key": keyPEM}); err != nil {
		return nil, err
	}
	return sc, nil
}

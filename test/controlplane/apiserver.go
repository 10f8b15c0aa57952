package controlplane

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// writeCertificates writes the control plane's certificates and keys into
// dir.
func writeCertificates(dir string) error {
	clusterCA, err := newCA("gitops-local-ca")
	if err != nil {
		return err
	}
	servingCert, servingKey, err := clusterCA.issue("kube-apiserver", nil,
		[]string{"localhost", "127.0.0.1", "kubernetes", "kubernetes.default.svc"})
	if err != nil {
		return err
	}
	adminCert, adminKey, err := clusterCA.issue("admin", []string{"system:masters"}, nil)
	if err != nil {
		return err
	}
	frontProxyCA, err := newCA("gitops-local-front-proxy-ca")
	if err != nil {
		return err
	}
	// kube-apiserver proxies to aggregated servers with this certificate; they
	// trust the user it names in X-Remote-User only because this CA signed it.
	proxyCert, proxyKey, err := frontProxyCA.issue("front-proxy-client", nil, nil)
	if err != nil {
		return err
	}
	serviceAccountKey, err := newPrivateKeyPEM()
	if err != nil {
		return err
	}
	files := map[string][]byte{
		"ca.crt":                 clusterCA.certPEM,
		"apiserver.crt":          servingCert,
		"apiserver.key":          servingKey,
		"admin.crt":              adminCert,
		"admin.key":              adminKey,
		"front-proxy-ca.crt":     frontProxyCA.certPEM,
		"front-proxy-client.crt": proxyCert,
		"front-proxy-client.key": proxyKey,
		"service-account.key":    serviceAccountKey,
	}
	// kube-controller-manager and kube-scheduler serve their health checks
	// with these, so Launch can call them trusting ca.crt.
	for _, component := range []string{"kube-controller-manager", "kube-scheduler"} {
		cert, key, err := clusterCA.issue(component, nil, []string{"localhost", "127.0.0.1"})
		if err != nil {
			return err
		}
		files[component+".crt"], files[component+".key"] = cert, key
	}
	return writeFiles(dir, files)
}

func (cp *ControlPlane) startAPIServer(opts Options) error {
	bin, err := binary("kube-apiserver")
	if err != nil {
		return err
	}
	file := func(name string) string { return filepath.Join(cp.Dir, name) }
	p, url, err := startWithRetry(func() (*Process, string, error) {
		port, err := FreePort()
		if err != nil {
			return nil, "", err
		}
		args := append([]string{
			"--etcd-servers=" + cp.EtcdURL,
			"--bind-address=127.0.0.1",
			"--secure-port=" + strconv.Itoa(port),
			// The default reconciler refuses a loopback advertise address.
			"--endpoint-reconciler-type=none",
			"--cert-dir=" + file("apiserver-certs"),
			"--tls-cert-file=" + file("apiserver.crt"),
			"--tls-private-key-file=" + file("apiserver.key"),
			"--client-ca-file=" + file("ca.crt"),
			"--authorization-mode=RBAC",
			"--service-account-key-file=" + file("service-account.key"),
			"--service-account-signing-key-file=" + file("service-account.key"),
			"--service-account-issuer=https://kubernetes.default.svc",
			"--service-cluster-ip-range=10.96.0.0/16",
			// The aggregation layer: how kube-apiserver proves to an aggregated
			// server which user a proxied request is for.
			"--requestheader-client-ca-file=" + file("front-proxy-ca.crt"),
			"--requestheader-allowed-names=front-proxy-client",
			"--requestheader-username-headers=X-Remote-User",
			"--requestheader-group-headers=X-Remote-Group",
			"--requestheader-extra-headers-prefix=X-Remote-Extra-",
			"--proxy-client-cert-file=" + file("front-proxy-client.crt"),
			"--proxy-client-key-file=" + file("front-proxy-client.key"),
		}, opts.APIServerArgs...)
		p, err := StartProcess("kube-apiserver", bin, args, file("kube-apiserver.log"), opts.Detached)
		if err != nil {
			return nil, "", err
		}
		cp.URL = fmt.Sprintf("https://127.0.0.1:%d", port)
		err = cp.writeKubeconfig()
		if err == nil {
			err = cp.loadKubeconfig()
		}
		if err == nil {
			err = p.waitReady(time.Minute, func() error { return cp.ready(context.Background()) })
		}
		if err != nil {
			p.Stop()
			return nil, "", err
		}
		return p, cp.URL, nil
	})
	cp.APIServer, cp.URL = p, url
	return err
}

// ready is true once /readyz passes and the default namespace exists; the
// namespace is created just after /readyz turns green, and tests use it at once.
func (cp *ControlPlane) ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	client, err := kubernetes.NewForConfig(cp.Config)
	if err != nil {
		return err
	}
	if _, err := client.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx); err != nil {
		return fmt.Errorf("/readyz: %w", err)
	}
	_, err = client.CoreV1().Namespaces().Get(ctx, metav1.NamespaceDefault, metav1.GetOptions{})
	return err
}

func (cp *ControlPlane) writeKubeconfig() error {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["gitops-local"] = &clientcmdapi.Cluster{
		Server:               cp.URL,
		CertificateAuthority: filepath.Join(cp.Dir, "ca.crt"),
	}
	cfg.AuthInfos["admin"] = &clientcmdapi.AuthInfo{
		ClientCertificate: filepath.Join(cp.Dir, "admin.crt"),
		ClientKey:         filepath.Join(cp.Dir, "admin.key"),
	}
	cfg.Contexts["gitops-local"] = &clientcmdapi.Context{Cluster: "gitops-local", AuthInfo: "admin"}
	cfg.CurrentContext = "gitops-local"
	// Embed the certificates so the file still works when copied elsewhere.
	if err := clientcmdapi.FlattenConfig(cfg); err != nil {
		return err
	}
	return clientcmd.WriteToFile(*cfg, cp.KubeconfigPath)
}

func (cp *ControlPlane) loadKubeconfig() error {
	cfg, err := clientcmd.BuildConfigFromFlags("", cp.KubeconfigPath)
	if err != nil {
		return err
	}
	// Tests and benchmarks send bursts; client-go's default of 5 requests a
	// second would measure the client's throttle rather than the server.
	cfg.QPS, cfg.Burst = 1000, 2000
	cp.Config, cp.URL = cfg, cfg.Host
	return nil
}

package controlplane

import "path/filepath"

// startControllerManager runs kube-controller-manager with its default
// controllers, as in a cluster: deployments, replica sets, jobs, the garbage
// collector, namespace deletion, service accounts and their tokens, and
// ClusterRole aggregation among them.
func (cp *ControlPlane) startControllerManager(opts Options) error {
	p, err := cp.startServing(opts, "kube-controller-manager", "/healthz", []string{
		"--kubeconfig=" + cp.KubeconfigPath,
		"--authentication-kubeconfig=" + cp.KubeconfigPath,
		"--authorization-kubeconfig=" + cp.KubeconfigPath,
		"--controllers=*",
		// The token controller signs ServiceAccount tokens with the key
		// kube-apiserver verifies, and publishes ca.crt in every namespace.
		"--service-account-private-key-file=" + filepath.Join(cp.Dir, "service-account.key"),
		"--root-ca-file=" + filepath.Join(cp.Dir, "ca.crt"),
		"--leader-elect=false",
	})
	if err != nil {
		return err
	}
	cp.ControllerManager = p
	return nil
}

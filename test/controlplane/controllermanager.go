package controlplane

import (
	"path/filepath"
	"strconv"
)

// startControllerManager runs kube-controller-manager with the one controller
// that needs nothing but the API: ClusterRole aggregation, which gives the
// built-in view, edit and admin roles the rules of ClusterRoles labelled to
// aggregate into them, as in a real cluster.
func (cp *ControlPlane) startControllerManager(opts Options) error {
	bin, err := binary("kube-controller-manager")
	if err != nil {
		return err
	}
	port, err := FreePort()
	if err != nil {
		return err
	}
	args := []string{
		"--kubeconfig=" + cp.KubeconfigPath,
		"--authentication-kubeconfig=" + cp.KubeconfigPath,
		"--authorization-kubeconfig=" + cp.KubeconfigPath,
		"--controllers=clusterrole-aggregation",
		"--leader-elect=false",
		"--bind-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(port),
	}
	p, err := StartProcess("kube-controller-manager", bin, args, filepath.Join(opts.Dir, "kube-controller-manager.log"), opts.Detached)
	if err != nil {
		return err
	}
	cp.ControllerManager = p
	return nil
}

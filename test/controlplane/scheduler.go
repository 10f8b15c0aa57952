package controlplane

// startScheduler runs kube-scheduler, which binds Pods to the kwok Node; kwok
// only plays the kubelet of Pods already bound to it.
func (cp *ControlPlane) startScheduler(opts Options) error {
	p, err := cp.startServing(opts, "kube-scheduler", "/readyz", []string{
		"--kubeconfig=" + cp.KubeconfigPath,
		"--authentication-kubeconfig=" + cp.KubeconfigPath,
		"--authorization-kubeconfig=" + cp.KubeconfigPath,
		"--leader-elect=false",
	})
	if err != nil {
		return err
	}
	cp.Scheduler = p
	return nil
}

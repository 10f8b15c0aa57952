package controlplane

import "path/filepath"

// kwokNodeAnnotation marks the Nodes kwok manages.
const kwokNodeAnnotation = "kwok.x-k8s.io/node"

// startKwok runs kwok, which plays the kubelet of the Nodes annotated
// kwok.x-k8s.io/node=fake: it keeps their status and lease fresh and moves
// their Pods through the stages of kwok-stages.yaml (Running and Ready, Job
// Pods Succeeded, and the two stages of hack/kwok/stages.yaml selected by the
// label kwok.gitops.io/pod). No container runs and no image is pulled. kwok
// serves nothing of its own here (no --server-address or --node-port), so it
// needs no port.
func (cp *ControlPlane) startKwok(opts Options) error {
	bin, err := binary("kwok")
	if err != nil {
		return err
	}
	stages, err := binary("kwok-stages.yaml")
	if err != nil {
		return err
	}
	args := []string{
		"--kubeconfig=" + cp.KubeconfigPath,
		"--config=" + stages,
		"--manage-all-nodes=false",
		"--manage-nodes-with-annotation-selector=" + kwokNodeAnnotation + "=fake",
		// Addresses for the Node's and Pods' status; nothing listens there.
		// The Pod range is apart from kube-apiserver's Service range.
		"--node-ip=10.240.0.1",
		"--cidr=10.244.0.0/16",
		"--node-lease-duration-seconds=40",
	}
	p, err := StartProcess("kwok", bin, args, filepath.Join(cp.Dir, "kwok.log"), opts.Detached)
	if err != nil {
		return err
	}
	cp.Kwok = p
	return nil
}

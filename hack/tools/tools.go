//go:build tools

// Package tools pins the Kubernetes commands that hack/build-control-plane.sh
// builds, so `go mod tidy` keeps their dependencies in go.sum. etcd is pinned
// in ./etcd, a module of its own.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)

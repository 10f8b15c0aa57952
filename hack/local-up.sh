#!/usr/bin/env bash
# Starts a local control plane (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, and kwok playing one Node) and, once the repository has
# cmd/gitops-apiserver, the gitops-apiserver behind it as gitops.io/v1alpha1.
# Everything keeps running in the background; state, logs and pid files are in
# _output/local. Running it again keeps the control plane and restarts
# gitops-apiserver from the current source. Stop with hack/local-down.sh.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
hack/build-control-plane.sh >/dev/null
# Built rather than `go run` so a failure is reported once, not twice.
go build -o _output/localup ./hack/localup
exec _output/localup

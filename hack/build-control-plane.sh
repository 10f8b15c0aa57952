#!/usr/bin/env bash
# Builds the control-plane binaries the tests and hack/local-up.sh run
# (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, etcd and
# kwok with its stages) from the Go module proxy, into a folder keyed by their
# versions, and prints that folder on stdout. When the binaries are
# already there it does nothing, so callers may run it every time.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools="$root/hack/tools"

# The versions are read from the tool modules so that go.mod stays the one
# place that names them.
mod_version() { awk -v m="$2" '$1 == m && $2 ~ /^v/ { print $2; exit } $1 == "require" && $2 == m { print $3; exit }' "$1"; }
kube_version=$(mod_version "$tools/go.mod" k8s.io/kubernetes)
etcd_version=$(mod_version "$tools/etcd/go.mod" go.etcd.io/etcd/server/v3)
kwok_version=$(mod_version "$tools/kwok/go.mod" sigs.k8s.io/kwok)
[ -n "$kube_version" ] && [ -n "$etcd_version" ] && [ -n "$kwok_version" ] || { echo "cannot read versions from $tools" >&2; exit 1; }

# Our own kwok stages are part of the key, so editing them rebuilds the folder.
stages_sum=$(sha256sum "$root/hack/kwok/stages.yaml" | cut -c1-8)
bin="$root/_output/bin/${kube_version}-etcd-${etcd_version}-kwok-${kwok_version}-${stages_sum}"
have_all() {
	for f in kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok; do [ -x "$bin/$f" ] || return 1; done
	[ -f "$bin/kwok-stages.yaml" ]
}
if have_all; then echo "$bin"; exit 0; fi

# go test runs packages in parallel and each may call this script; one builds,
# the others wait for it.
mkdir -p "$root/_output/bin"
exec 9>"$root/_output/bin/.build.lock"
flock 9
if have_all; then echo "$bin"; exit 0; fi

# Without these the server reports v0.0.0-master and kubectl refuses to parse it.
minor=${kube_version#v*.}; minor=${minor%%.*}
major=${kube_version#v}; major=${major%%.*}
ldflags="-X k8s.io/component-base/version.gitVersion=$kube_version"
ldflags+=" -X k8s.io/component-base/version.gitMajor=$major -X k8s.io/component-base/version.gitMinor=$minor"
ldflags+=" -X k8s.io/component-base/version.gitTreeState=clean"

# Build into a scratch folder and move it in place, so an interrupted build
# never leaves a half-filled versioned folder behind.
tmp=$(mktemp -d "$root/_output/bin/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export GOWORK=off
start=$SECONDS
echo "building kube-apiserver, kube-controller-manager, kube-scheduler and kubectl $kube_version, etcd $etcd_version, kwok $kwok_version (a cold build takes minutes)" >&2
(cd "$tools" && go build -o "$tmp/" -ldflags "$ldflags" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl)
(cd "$tools/etcd" && go build -o "$tmp/etcd" go.etcd.io/etcd/server/v3)
(cd "$tools/kwok" && go build -o "$tmp/kwok" sigs.k8s.io/kwok/cmd/kwok)

# kwok refuses to start without stages. Its own "fast" ones (from its module:
# a node becomes Ready and keeps its lease, Pods become Ready, Jobs' Pods
# complete, deleted Pods go) plus ours (hack/kwok/stages.yaml), one file.
kwok_dir=$(cd "$tools/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)
for stage in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease \
	pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete; do
	cat "$kwok_dir/kustomize/stage/$stage.yaml"
	echo "---"
done >"$tmp/kwok-stages.yaml"
cat "$root/hack/kwok/stages.yaml" >>"$tmp/kwok-stages.yaml"
rm -rf "$bin"
mv "$tmp" "$bin"
chmod 755 "$bin"
echo "built in $((SECONDS - start))s" >&2
echo "$bin"

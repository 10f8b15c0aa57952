#!/usr/bin/env bash
# Stops what hack/local-up.sh started, using the pid files in _output/local.
# With arguments (git-server, helm-repo, gitops-apiserver, kwok, kube-scheduler,
# kube-controller-manager, kube-apiserver, etcd) it stops only those.
# The state stays (etcd data, storage repository); remove _output/local to
# start afresh.
set -euo pipefail

state="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/_output/local"
[ $# -gt 0 ] || set -- git-server helm-repo gitops-apiserver kwok kube-scheduler kube-controller-manager kube-apiserver etcd

for name in "$@"; do
	pidfile="$state/$name.pid"
	[ -f "$pidfile" ] || continue
	pid=$(cat "$pidfile")
	# A pid can be reused after a reboot; only stop a process running our binary.
	cmd=$(ps -o args= -p "$pid" 2>/dev/null || true)
	if [ "$(basename "${cmd%% *}" 2>/dev/null)" = "$name" ]; then
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$pid" 2>/dev/null || true
		echo "stopped $name (pid $pid)"
	fi
	rm -f "$pidfile"
done

#!/usr/bin/env bash
# Runs staticcheck (pinned in hack/tools/staticcheck) over the project's own
# code; generated code is left to its generators. Built on first use into
# _output/bin, keyed by version.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools="$root/hack/tools/staticcheck"
version=$(awk '$1 == "require" && $2 == "honnef.co/go/tools" { print $3 }' "$tools/go.mod")
bin="$root/_output/bin/staticcheck-$version"
if [ ! -x "$bin" ]; then
	mkdir -p "$root/_output/bin"
	(cd "$tools" && GOWORK=off go build -o "$bin.tmp" honnef.co/go/tools/cmd/staticcheck)
	mv "$bin.tmp" "$bin"
fi
cd "$root"
go list ./... | grep -v '/pkg/generated/' | xargs "$bin"

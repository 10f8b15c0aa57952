#!/usr/bin/env bash
# Fails when the generated code or the API-rule violations report differs from
# what hack/update-codegen.sh produces from the current API types. It
# regenerates into a temporary copy, so the working tree is never touched.
set -o errexit
set -o nounset
set -o pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"

# Everything the generators read or write; the rest of the tree is irrelevant.
CODEGEN_PATHS=(
    go.mod
    go.sum
    hack/update-codegen.sh
    hack/boilerplate.go.txt
    hack/codegen
    pkg/apis
    pkg/generated
)
# What must come out identical.
GENERATED_PATHS=(
    pkg/apis
    pkg/generated
    hack/codegen/api-rule-violations.list
)

COPY="$(mktemp -d)"
trap 'rm -rf "${COPY}"' EXIT

for path in "${CODEGEN_PATHS[@]}"; do
    mkdir -p "${COPY}/$(dirname "${path}")"
    cp -a "${REPO_ROOT}/${path}" "${COPY}/${path}"
done

"${COPY}/hack/update-codegen.sh"

status=0
for path in "${GENERATED_PATHS[@]}"; do
    diff -Naupr "${REPO_ROOT}/${path}" "${COPY}/${path}" || status=$?
done
if [[ ${status} -ne 0 ]]; then
    echo "Generated code is out of date: run hack/update-codegen.sh and commit the result." >&2
    exit 1
fi
echo "Generated code is up to date."
